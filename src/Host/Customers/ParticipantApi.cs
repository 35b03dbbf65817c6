using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Formats;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// Staff invite another person into the customer's video session (a relative who assists, an interpreter): a single-use
/// link goes to that person's own mobile, and opening it takes them into the video room and the recording, nowhere else.
/// The invitation, the delivery, the opening and every join and leave are events in the case's stream.
/// </summary>
public static class ParticipantApi
{
    /// <summary>Who may be invited: the people a video session's participants list names besides the teller and the customer.</summary>
    public static readonly IReadOnlyList<string> InvitableRoles = ["relative", "interpreter"];

    public const int NameLength = 64;

    public sealed record InviteRequest(string? Role, string? Name, string? Mobile);

    public sealed record Invited(string LinkId, string Seat, string Role, string Name, string SentTo, string Channel, DateTimeOffset ExpiresAt);

    public sealed record RemoveRequest(string? Reason);

    public static void MapParticipantApi(this WebApplication app)
    {
        app.MapPost("/api/cases/{id:guid}/participants", Invite).WithTags("Customers").RequireAuthorization(Policies.Worker)
            .Idempotent(new IdempotencyFilter(StatusCodes.Status200OK, CustomerLinkApi.SentLinkAgain((issued, delivered) => issued is ParticipantInvited invited
                ? TypedResults.Ok(new Invited(invited.LinkId, ParticipantEvents.Seat(invited.LinkId), invited.Role, invited.Name, invited.To, delivered.Channel, invited.ExpiresAt))
                : null)))
            .WithName("InviteParticipant").WithSummary("Invite a relative or an interpreter into the video session: a single-use link (two hours) goes to their mobile.");
        app.MapPost("/api/cases/{id:guid}/participants/{linkId}/remove", Remove).WithTags("Customers").RequireAuthorization(Policies.Worker)
            .Idempotent(new IdempotencyFilter(StatusCodes.Status204NoContent, IdempotencyFilter.Nothing))
            .WithName("RemoveParticipant").WithSummary("Withdraw an invitation: the person's link and session stop working.");
    }

    private static async Task<Results<Ok<Invited>, ProblemHttpResult>> Invite(Guid id, InviteRequest? request, CaseCommandService cases, CustomerLinkCodes links,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var role = request?.Role?.Trim() ?? "";
        var name = request?.Name?.Trim() ?? "";
        var mobile = request?.Mobile?.Trim() ?? "";
        List<FieldError> errors = [];
        if (!InvitableRoles.Contains(role))
        {
            errors.Add(new("/role", $"Who they are in the session: one of {string.Join(", ", InvitableRoles)}."));
        }
        if (name.Length is 0 or > NameLength)
        {
            errors.Add(new("/name", $"Their name, 1 to {NameLength} characters, as the recording's evidence lists it."));
        }
        if (mobile.Length == 0 || !new MobileFormat().Validate(JsonSerializer.SerializeToElement(mobile), out _))
        {
            errors.Add(new("/mobile", "Their own mainland mobile number (11 digits starting with 13 to 19): the link goes there."));
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid("The invitation is incomplete.", errors);
        }
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || state.IsClosed)
        {
            return ApiProblems.Conflict("No open case", $"Case {id} does not exist or is closed; nobody can join it.");
        }
        var now = clock.GetUtcNow();
        var linkId = Guid.CreateVersion7(now).ToString("N");
        var expires = now + CustomerLinkApi.Lifetime;
        var sentTo = CustomerContact.Masked(mobile);
        var invited = await cases.ExecuteAsync(id, new InviteParticipant(linkId, role, name, links.Channel, sentTo, expires, RequestActor.Of(http.User), now),
            RequestActor.Context(http), cancellation);
        if (invited.Rejection is { } refused)
        {
            return ApiProblems.From(refused);
        }
        var (receipt, notSent) = await CustomerLinkApi.SendAsync(() => links.SendToParticipantAsync(id, linkId, mobile, expires, CustomerLinkApi.PublicOrigin(http), cancellation));
        if (notSent is not null)
        {
            return notSent;
        }
        var delivered = await cases.ExecuteAsync(id, new RecordLinkDelivery(linkId, receipt!.Channel, receipt.Reference, CustomerLinkApi.Messenger, clock.GetUtcNow()),
            RequestActor.Context(http), cancellation);
        return delivered.Rejection is { } late
            ? ApiProblems.From(late)
            : TypedResults.Ok(new Invited(linkId, ParticipantEvents.Seat(linkId), role, name, sentTo, receipt.Channel, expires));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(Guid id, string linkId, RemoveRequest? request, CaseCommandService cases, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var outcome = await cases.ExecuteAsync(id, new RemoveParticipant(linkId, request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()),
            RequestActor.Context(http), cancellation);
        return outcome.Rejection is { } refused ? ApiProblems.From(refused) : TypedResults.NoContent();
    }
}
