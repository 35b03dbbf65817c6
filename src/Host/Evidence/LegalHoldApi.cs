using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Evidence;

/// <summary>Legal hold (supervisors, with a reason, as events) and the list of cases whose retention has ended.</summary>
public static class LegalHoldApi
{
    public sealed record HoldRequest(string? Reason);

    public static void MapLegalHoldApi(this WebApplication app)
    {
        var hold = app.MapGroup("/api/cases/{id:guid}/legal-hold").WithTags("Evidence").RequireAuthorization(Policies.Supervisor)
            .AddEndpointFilter(new IdempotencyFilter(StatusCodes.Status200OK));
        hold.MapPost("/", (Guid id, HoldRequest? request, CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
            Run(id, new PlaceLegalHold(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()), cases, http, cancellation))
            .WithName("PlaceLegalHold").WithSummary("Keep the case's evidence past its retention, with a reason.");
        hold.MapPost("/release", (Guid id, HoldRequest? request, CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
            Run(id, new ReleaseLegalHold(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()), cases, http, cancellation))
            .WithName("ReleaseLegalHold").WithSummary("Release the legal hold, with a reason.");
        app.MapGet("/api/retention/due", Due).WithTags("Evidence").RequireAuthorization().RequireCaseRead(CaseReadScope.Oversight)
            .WithName("RetentionDue").WithSummary("Closed cases whose retention has ended and that are not on legal hold.");
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Run(Guid id, CaseCommand command, CaseCommandService cases, HttpContext http,
        CancellationToken cancellation)
    {
        return CaseCommandsApi.Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    public static async Task<IReadOnlyList<CaseSummary>> DueAsync(IDocumentStore store, DateTimeOffset now, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return await session.Query<CaseSummary>()
            .Where(c => c.RetainUntil != null && c.RetainUntil <= now && !c.LegalHold)
            .OrderBy(c => c.RetainUntil).ToListAsync(cancellation);
    }

    private static async Task<Ok<IReadOnlyList<CaseSummary>>> Due(IDocumentStore store, TimeProvider clock, DateTimeOffset? asOf, CancellationToken cancellation) =>
        TypedResults.Ok(await DueAsync(store, asOf ?? clock.GetUtcNow(), cancellation));
}
