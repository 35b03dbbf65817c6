using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Evidence;

namespace VirtualBranch.Benchmarks;

/// <summary>Replay figures: rows read alone, state rebuilt by folding, hash chains verified (a sample of the store).</summary>
public sealed record ReplayFigures(int SampleCases, long SampleEvents, double ScanEventsPerSecond, double FoldEventsPerSecond, double VerifyEventsPerSecond);

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

        clock.Restart();
        await foreach (var batch in stored.ScanAsync(ids, CancellationToken.None))
        {
            // Chains only: the benchmark's documents and recordings are synthetic, there are no files to check.
            batch.AsParallel().ForAll(stream =>
            {
                if (ChainVerifier.Verify(stream.CaseId, stream.Rows, stream.StreamVersion) is { Intact: false } broken)
                {
                    throw new InvalidOperationException($"case {stream.CaseId} does not verify: version {broken.FirstBrokenVersion}, {broken.Problem}");
                }
            });
        }
        var verify = clock.Elapsed.TotalSeconds;
        return new ReplayFigures(ids.Count, events, events / scan, events / fold, events / verify);
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
