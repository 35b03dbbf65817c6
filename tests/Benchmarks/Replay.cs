using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Benchmarks;

/// <summary>Replay figures: rows read alone, state rebuilt by folding, hash chains verified (a sample of the store).</summary>
public sealed record ReplayFigures(int SampleCases, long SampleEvents, double ScanEventsPerSecond, double FoldEventsPerSecond, double VerifyEventsPerSecond);

/// <summary>A checkpoint written over the cases changed since the last one: how many, how long, and the checkpoint tables' size after it.</summary>
public sealed record CheckpointFigures(int AnchoredCases, double Seconds, double TablesMegabytes);

/// <summary>CaseSummary rebuilt for the whole store.</summary>
public sealed record RebuildFigures(int RebuiltCases, long RebuiltEvents, double RebuildEventsPerSecond);

public static class Replay
{
    /// <summary>Reads, folds and verifies <paramref name="sample"/> cases spread evenly over the store.</summary>
    public static async Task<ReplayFigures> MeasureAsync(IServiceProvider services, int sample)
    {
        var stored = services.GetRequiredService<StoredEvents>();
        var decoder = services.GetRequiredService<EventDecoder>();
        var all = await stored.AllCaseIdsAsync(CancellationToken.None);
        var step = Math.Max(1, all.Count / Math.Max(1, sample));
        var ids = all.Where((_, i) => i % step == 0).Take(sample).ToList();

        var events = 0L;
        var clock = Stopwatch.StartNew();
        await foreach (var batch in stored.ScanAsync(ids, CancellationToken.None))
        {
            events += batch.Sum(s => s.Rows.Count); // reading alone: the ceiling of the passes below
        }
        var scan = clock.Elapsed.TotalSeconds;
        events = 0;
        clock.Restart();
        await foreach (var batch in stored.ScanAsync(ids, CancellationToken.None))
        {
            events += batch.Sum(s => s.Rows.Count);
            batch.AsParallel().ForAll(stream => _ = decoder.Fold(stream.Rows) ?? throw new InvalidOperationException($"case {stream.CaseId} folds to nothing"));
        }
        var fold = clock.Elapsed.TotalSeconds;

        var checkpoints = services.GetRequiredService<CheckpointReader>();
        var anchors = services.GetRequiredService<CheckpointVerifier>();
        clock.Restart();
        var latest = await checkpoints.LatestAsync(SignedCheckpoint.Scheduled, CancellationToken.None);
        await foreach (var batch in stored.ScanAsync(ids, CancellationToken.None))
        {
            // Chains and anchors (each case's leaf against its signed checkpoint); the benchmark's documents and
            // recordings are synthetic, there are no files to check.
            var leaves = await checkpoints.LatestLeavesAsync([.. batch.Select(s => s.CaseId)], CancellationToken.None);
            batch.AsParallel().ForAll(stream =>
            {
                if (ChainVerifier.Verify(stream.CaseId, stream.Rows, stream.StreamVersion) is { Intact: false } broken)
                {
                    throw new InvalidOperationException($"case {stream.CaseId} does not verify: version {broken.FirstBrokenVersion}, {broken.Problem}");
                }
                if (anchors.Check(stream.Rows, leaves.GetValueOrDefault(stream.CaseId), latest) is { Holds: false } unanchored)
                {
                    throw new InvalidOperationException($"case {stream.CaseId} does not hold against its checkpoint: {unanchored.Description}");
                }
            });
        }
        var verify = clock.Elapsed.TotalSeconds;
        return new ReplayFigures(ids.Count, events, events / scan, events / fold, events / verify);
    }

    /// <summary>One checkpoint over every case changed since the last (after seeding: every new case), and the checkpoint tables' size.</summary>
    public static async Task<CheckpointFigures> CheckpointAsync(IServiceProvider services, Func<string, Task<long>> scalar)
    {
        var clock = Stopwatch.StartNew();
        var run = await services.GetRequiredService<CheckpointWriter>().WriteAsync(null, CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        if (run.Refused.Count > 0)
        {
            throw new InvalidOperationException($"the checkpoint refused {run.Refused.Count} cases: {run.Refused[0]}");
        }
        var bytes = await scalar("select pg_total_relation_size('vb.vb_checkpoint_leaves') + pg_total_relation_size('vb.vb_checkpoint_heads') + pg_total_relation_size('vb.vb_checkpoints')");
        return new CheckpointFigures(run.Anchored, seconds, bytes / 1048576.0);
    }

    /// <summary>Rebuilds every case's summary from its stream.</summary>
    public static async Task<RebuildFigures> RebuildAsync(IServiceProvider services)
    {
        var clock = Stopwatch.StartNew();
        var (rebuilt, rebuiltEvents, unreadable) = await services.GetRequiredService<SummaryRebuild>().RunAsync(null, CancellationToken.None);
        var rebuild = clock.Elapsed.TotalSeconds;
        if (unreadable.Count > 0)
        {
            throw new InvalidOperationException($"{unreadable.Count} cases could not be summarised");
        }
        return new RebuildFigures(rebuilt, rebuiltEvents, rebuiltEvents / rebuild);
    }
}
