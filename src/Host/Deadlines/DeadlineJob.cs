using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Deadlines;

/// <summary>The Hangfire job of a deadline: sends the fire-timer command, a no-op if the step was resumed meanwhile.</summary>
public sealed class DeadlineJob(CaseCommandService cases, TimeProvider clock, ILogger<DeadlineJob> log)
{
    public async Task FireAsync(Guid caseId, string bookmarkId, CancellationToken cancellation)
    {
        var outcome = await cases.ExecuteAsync(caseId, new FireTimer(bookmarkId, clock.GetUtcNow()),
            new RequestContext($"deadline:{caseId:N}:{bookmarkId}", null), cancellation);
        if (outcome.Rejection is { } rejected)
        {
            log.LogWarning("Deadline of {BookmarkId} on case {CaseId} was refused: {Detail}", bookmarkId, caseId, rejected.Detail);
        }
    }
}
