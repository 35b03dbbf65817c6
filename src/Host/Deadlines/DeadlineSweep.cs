using Hangfire;
using Marten;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Deadlines;

/// <summary>
/// Deadlines within <see cref="Horizon"/> of the step get a Hangfire job of their own, to the second. Those further
/// away (a 30-minute form, a two-day signal) would cost a message and a job on every command; instead this
/// recurring Hangfire job fires, every minute, every deadline that has passed. It also catches any deadline whose
/// job was lost. Firing is idempotent, so a deadline fired by both does nothing the second time.
/// </summary>
public sealed class DeadlineSweep(IDocumentStore store, CaseCommandService cases, TimeProvider clock, ILogger<DeadlineSweep> log)
{
    public const string JobId = "deadline-sweep";
    public static readonly TimeSpan Horizon = TimeSpan.FromMinutes(10);

    public async Task RunAsync(CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();
        var due = await session.Query<CaseSummary>().Where(c => c.Status == "running" && c.DueAt != null && c.DueAt <= now).Take(1000).ToListAsync(cancellation);
        var fired = 0;
        foreach (var summary in due)
        {
            foreach (var step in summary.Waiting.Where(w => w.Deadline is { } at && at <= now))
            {
                var outcome = await cases.ExecuteAsync(summary.Id, new FireTimer(step.BookmarkId, now), new RequestContext($"deadline-sweep:{summary.Id:N}", null), cancellation);
                fired += outcome.Events.Count > 0 ? 1 : 0;
            }
        }
        if (fired > 0)
        {
            log.LogInformation("Deadline sweep fired {Count} deadlines", fired);
        }
    }
}
