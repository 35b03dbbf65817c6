using Hangfire;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Deadlines;

/// <summary>The Hangfire job of a deadline: sends the fire-timer command, a no-op if the step was resumed meanwhile.</summary>
public sealed class DeadlineJob(CaseCommandService cases, IBackgroundJobClient jobs, TimeProvider clock, ILogger<DeadlineJob> log)
{
    public async Task FireAsync(Guid caseId, string bookmarkId, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var outcome = await cases.ExecuteAsync(caseId, new FireTimer(bookmarkId, now), new RequestContext($"deadline:{caseId:N}:{bookmarkId}", null), cancellation);
        if (outcome.Rejection is { } rejected)
        {
            log.LogWarning("Deadline of {BookmarkId} on case {CaseId} was refused: {Detail}", bookmarkId, caseId, rejected.Detail);
            return;
        }
        // Run early (clock skew between nodes): the step still waits, so come back at its deadline.
        if (outcome.Events.Count == 0 && outcome.State?.Bookmarks.GetValueOrDefault(bookmarkId)?.Deadline is { } deadline && deadline > now)
        {
            jobs.Schedule<DeadlineJob>(job => job.FireAsync(caseId, bookmarkId, CancellationToken.None), DeadlineScheduledHandler.RoundUp(deadline));
            return;
        }
        log.LogInformation("Deadline of {BookmarkId} on case {CaseId} fired: {Events} events", bookmarkId, caseId, outcome.Events.Count);
    }
}
