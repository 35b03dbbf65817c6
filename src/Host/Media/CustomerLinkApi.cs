using System.Security.Cryptography;
using Marten;
using Marten.Schema;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Media;

/// <summary>A link sent to a customer: single use, expiring, bound to one case.</summary>
[UseOptimisticConcurrency]
public sealed class CustomerLinkRecord
{
    /// <summary>The code in the link (random, 256 bits).</summary>
    public string Id { get; set; } = "";

    public Guid CaseId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string IssuedBy { get; set; } = "";

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// The teller sends the customer a link with a single-use code valid for two hours. Opening it exchanges the code,
/// once, for a customer token bound to that case (which the page keeps for rejoining after a drop); the code then
/// works no more, and the token grants nothing on any other case.
/// </summary>
public static class CustomerLinkApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    public sealed record CustomerLink(string Code, DateTimeOffset ExpiresAt, string Url);

    public sealed record SessionRequest(Guid? CaseId, string? Code);

    public sealed record CustomerSession(string Token, DateTimeOffset ExpiresAt);

    public static void MapCustomerLinkApi(this WebApplication app)
    {
        app.MapPost("/api/cases/{id:guid}/customer-link", Issue).WithTags("Media").RequireAuthorization(Policies.Worker)
            .WithName("IssueCustomerLink").WithSummary("A single-use link for the customer to join the case (two hours).");
        app.MapPost("/api/customer/session", Exchange).WithTags("Media").AllowAnonymous()
            .WithName("OpenCustomerSession").WithSummary("Exchange a customer link's code, once, for a token bound to its case.");
    }

    private static async Task<Results<Ok<CustomerLink>, ProblemHttpResult>> Issue(Guid id, CaseCommandService cases, IDocumentStore store, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || state.IsClosed)
        {
            return ApiProblems.Conflict("No open case", $"Case {id} does not exist or is closed; a customer cannot join it.");
        }
        if (CaseAccess.Refusal(http.User, state) is { } refused)
        {
            return refused;
        }
        var link = new CustomerLinkRecord
        {
            Id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('='),
            CaseId = id,
            ExpiresAt = clock.GetUtcNow() + Lifetime,
            IssuedBy = RequestActor.Of(http.User).Id,
        };
        await using var session = store.LightweightSession();
        session.Insert(link);
        await session.SaveChangesAsync(cancellation);
        return TypedResults.Ok(new CustomerLink(link.Id, link.ExpiresAt, $"/customer/?case={id}&code={link.Id}"));
    }

    private static async Task<Results<Ok<CustomerSession>, ProblemHttpResult>> Exchange(SessionRequest? request, IDocumentStore store, TokenIssuer tokens,
        TimeProvider clock, CancellationToken cancellation)
    {
        if (request?.CaseId is not { } caseId || string.IsNullOrWhiteSpace(request.Code))
        {
            return ApiProblems.Invalid("The link is incomplete: it needs the case and the code.", [new("/code", "Required."), new("/caseId", "Required.")]);
        }
        await using var session = store.LightweightSession();
        var link = await session.LoadAsync<CustomerLinkRecord>(request.Code, cancellation);
        var now = clock.GetUtcNow();
        if (link is null || link.CaseId != caseId)
        {
            return ApiProblems.NotFound("Unknown link", "This link is not valid. Please ask your teller for a new one.");
        }
        if (link.UsedAt is not null)
        {
            return ApiProblems.Conflict("Link already used", "This link was already used. Please ask your teller for a new one.");
        }
        if (link.ExpiresAt <= now)
        {
            return ApiProblems.Problem(StatusCodes.Status410Gone, "Link expired", "This link has expired. Please ask your teller for a new one.", []);
        }
        link.UsedAt = now;
        session.Store(link);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception ex) when (ex.GetType().Name == "ConcurrencyException")
        {
            return ApiProblems.Conflict("Link already used", "This link was already used. Please ask your teller for a new one.");
        }
        var (token, expires) = tokens.IssueCustomer(caseId, link.ExpiresAt - now);
        return TypedResults.Ok(new CustomerSession(token, expires));
    }
}
