using Hangfire;
using Marten;

namespace VirtualBranch.Host.Evidence;

/// <summary>The nightly list of cases whose retention has ended (nothing is deleted; the list is kept for people to act on).</summary>
public sealed record RetentionReport(string Id, DateTimeOffset GeneratedAt, IReadOnlyList<Guid> CaseIds);

/// <summary>The Hangfire job behind the nightly retention sweep, registered as a recurring job at start-up.</summary>
public sealed class RetentionSweep(IDocumentStore store, TimeProvider clock, ILogger<RetentionSweep> log)
{
    public const string JobId = "retention-sweep";

    public async Task RunAsync(CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var due = await LegalHoldApi.DueAsync(store, now, cancellation);
        await using var session = store.LightweightSession();
        session.Store(new RetentionReport($"{now:yyyy-MM-dd}", now, [.. due.Select(c => c.Id)]));
        await session.SaveChangesAsync(cancellation);
        log.LogInformation("Retention sweep: {Count} closed cases are past retention and not on hold", due.Count);
    }
}
