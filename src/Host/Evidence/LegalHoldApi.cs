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
            .Idempotent(new IdempotencyFilter(StatusCodes.Status200OK));
        hold.MapPost("/", (Guid id, HoldRequest? request, CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
            Run(id, new PlaceLegalHold(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()), cases, http, cancellation))
            .WithName("PlaceLegalHold").WithSummary("Keep the case's evidence past its retention, with a reason.");
        hold.MapPost("/release", (Guid id, HoldRequest? request, CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
            Run(id, new ReleaseLegalHold(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow()), cases, http, cancellation))
            .WithName("ReleaseLegalHold").WithSummary("Release the legal hold, with a reason.");
        app.MapPost("/api/retention/sweep", Sweep).WithTags("Evidence").RequireAuthorization(Policies.Supervisor)
            .WithName("RetentionSweep").WithSummary("Erase the personal data of every case whose retention has ended (as the nightly job does), or with dryRun list what would be erased.");
        app.MapGet("/api/retention/due", Due).WithTags("Evidence").RequireAuthorization().RequireCaseRead(CaseReadScope.Oversight)
            .WithName("RetentionDue").WithSummary("Closed cases whose retention has ended, not on legal hold and not yet erased.");
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Run(Guid id, CaseCommand command, CaseCommandService cases, HttpContext http,
        CancellationToken cancellation)
    {
        return CaseCommandsApi.Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    /// <summary>Whether to list what would be erased (true) or erase it (false): said each time, since erasing cannot be undone.</summary>
    public sealed record SweepRequest(bool? DryRun);

    private static async Task<Results<Ok<RetentionReport>, ProblemHttpResult>> Sweep(SweepRequest? request, RetentionSweep sweep, CancellationToken cancellation)
    {
        if (request?.DryRun is not { } dryRun)
        {
            return ApiProblems.Invalid("Say whether to erase.",
                [new("/dryRun", "Required: true lists the cases whose personal data would be erased, false erases it (it cannot be undone).")]);
        }
        return TypedResults.Ok(await sweep.SweepAsync(dryRun, cancellation));
    }

    public static async Task<IReadOnlyList<CaseSummary>> DueAsync(IDocumentStore store, DateTimeOffset now, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return await session.Query<CaseSummary>()
            .Where(c => c.RetainUntil != null && c.RetainUntil <= now && !c.LegalHold && c.PersonalDataErasedAt == null)
            .OrderBy(c => c.RetainUntil).ToListAsync(cancellation);
    }

    private static async Task<Ok<IReadOnlyList<CaseSummary>>> Due(IDocumentStore store, TimeProvider clock, DateTimeOffset? asOf, CancellationToken cancellation) =>
        TypedResults.Ok(await DueAsync(store, asOf ?? clock.GetUtcNow(), cancellation));
}
