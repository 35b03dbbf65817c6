using VirtualBranch.Host.Configuration;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// Staff send the customer a link: the Host sends it to the mobile registered on the case through the messenger and
/// answers only where it went. The code in it never reaches the staff's API, so nobody but the customer can open it.
/// Issuing, delivering and revoking are events in the case's stream.
/// </summary>
public static class CustomerLinkApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>Who records the messenger's receipt in the case.</summary>
    public static readonly Actor Messenger = new("messenger", Engine.Activities.Roles.System);

    public sealed record LinkSent(string LinkId, string SentTo, string Channel, DateTimeOffset ExpiresAt);

    public sealed record RevokeRequest(string? Reason);

    public static void MapCustomerLinkApi(this WebApplication app)
    {
        app.MapPost("/api/cases/{id:guid}/customer-link", Issue).WithTags("Customers").RequireAuthorization(Policies.Worker)
            .Idempotent(new IdempotencyFilter(StatusCodes.Status200OK, SentLinkAgain((issued, delivered) => issued is CustomerLinkIssued link
                ? TypedResults.Ok(new LinkSent(link.LinkId, link.To, delivered.Channel, link.ExpiresAt))
                : null)))
            .WithName("SendCustomerLink").WithSummary("Send the customer a single-use link to their registered mobile (two hours); an earlier link stops working.");
        app.MapPost("/api/cases/{id:guid}/customer-link/revoke", Revoke).WithTags("Customers").RequireAuthorization(Policies.Worker)
            .Idempotent(new IdempotencyFilter(StatusCodes.Status204NoContent, IdempotencyFilter.Nothing))
            .WithName("RevokeCustomerLink").WithSummary("Stop the case's customer link and every customer session it opened.");
    }

    private static async Task<Results<Ok<LinkSent>, ProblemHttpResult>> Issue(Guid id, CaseCommandService cases, DefinitionCatalog catalog, CustomerLinkCodes links,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || state.IsClosed)
        {
            return ApiProblems.Conflict("No open case", $"Case {id} does not exist or is closed; a customer cannot join it.");
        }
        if (catalog.Find(state.DefinitionId, state.DefinitionVersion) is not { } definition || CustomerContact.Of(state, definition) is not { } contact)
        {
            return ApiProblems.Conflict("No mobile to send the link to",
                $"Case {state.Number} has no registered mobile (a case-data field with format '{CustomerContact.MobileFormat}'); the link goes only to the customer's own phone.");
        }
        var now = clock.GetUtcNow();
        var linkId = Guid.CreateVersion7(now).ToString("N");
        var expires = now + Lifetime;
        var issued = await cases.ExecuteAsync(id, new IssueCustomerLink(linkId, links.Channel, CustomerContact.Masked(contact), expires, RequestActor.Of(http.User), now),
            RequestActor.Context(http), cancellation);
        if (issued.Rejection is { } refused)
        {
            return ApiProblems.From(refused);
        }
        var (receipt, notSent) = await SendAsync(() => links.SendAsync(id, linkId, contact, expires, PublicOrigin(http), cancellation));
        if (notSent is not null)
        {
            return notSent;
        }
        var delivered = await cases.ExecuteAsync(id, new RecordLinkDelivery(linkId, receipt!.Channel, receipt.Reference, Messenger, clock.GetUtcNow()),
            RequestActor.Context(http), cancellation);
        return delivered.Rejection is { } late
            ? ApiProblems.From(late) // a newer link overtook this one while it was being sent
            : TypedResults.Ok(new LinkSent(linkId, CustomerContact.Masked(contact), receipt.Channel, expires));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, RevokeRequest? request, CaseCommandService cases, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var outcome = await cases.ExecuteAsync(id, new RevokeCustomerLink(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()),
            RequestActor.Context(http), cancellation);
        return outcome.Rejection is { } refused ? ApiProblems.From(refused) : TypedResults.NoContent();
    }

    /// <summary>
    /// A retried send of a link (the customer's or a participant's): what its first use answered, from the stream. A link
    /// the messenger took is answered again as sent (<paramref name="sent"/>, from the event that issued it); one it never
    /// took (the messenger refused, or the Host stopped between recording it and sending it) gets the 502 again and is not
    /// sent now: its code is kept only as a digest, so only a new request, with a new key, sends a new link.
    /// </summary>
    internal static IdempotencyFilter.Replay SentLinkAgain(Func<object, CustomerLinkDelivered, IResult?> sent) => async (session, first, http) =>
    {
        var events = (await session.Events.FetchStreamAsync(first.CaseId, first.Version, token: http.RequestAborted)).Select(e => e.Data).Reverse().ToList();
        var delivered = events.FirstOrDefault() as CustomerLinkDelivered;
        var linkId = delivered?.LinkId ?? events.Select(e => e switch { CustomerLinkIssued i => i.LinkId, ParticipantInvited p => p.LinkId, _ => null }).FirstOrDefault(id => id is not null);
        var issued = events.FirstOrDefault(e => e is CustomerLinkIssued i && i.LinkId == linkId || e is ParticipantInvited p && p.LinkId == linkId);
        return (delivered is not null && issued is not null ? sent(issued, delivered) : null)
            ?? ApiProblems.Problem(StatusCodes.Status502BadGateway, "Link not sent",
                $"This {IdempotencyKeys.Header} first issued link {linkId} but the messenger never took it. Nothing was sent now: send a new request, with a new key, for a new link.", []);
    };

    /// <summary>Hands a link to the messenger: its receipt, or 502 when the messenger did not take it (the link is on record, unused).</summary>
    internal static async Task<(MessageReceipt? Receipt, ProblemHttpResult? NotSent)> SendAsync(Func<Task<MessageReceipt>> send)
    {
        try
        {
            return (await send(), null);
        }
        catch (MessageNotSentException ex)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status502BadGateway, "Link not sent", $"The link was issued but the messenger did not take it: {ex.Message} Send it again.", []));
        }
    }

    /// <summary>Where the customer's phone reaches the Host: <c>Engine:PublicUrl</c> when set (behind a proxy), else this request's origin.</summary>
    internal static string PublicOrigin(HttpContext http) =>
        http.RequestServices.GetRequiredService<EngineOptions>().PublicUrl is { } configured
            ? configured
            : $"{http.Request.Scheme}://{http.Request.Host}";
}
