using System.Diagnostics;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Benchmarks;

/// <summary>Microseconds per command the engine spends before the database, on one thread: deciding, chaining (and sealing), summarising.</summary>
public sealed record CoreFigures(int Commands, double DecideMicroseconds, double ChainMicroseconds, double ChainWithoutSealMicroseconds, double SummaryMicroseconds, double JsonCharsPerCommand,
    double JsonBytesPerCommand,
    double CanonicalShare, IReadOnlyList<string> RewrittenTypes);

public static class CoreCost
{
    public static CoreFigures Measure(PureEngine engine, LoanDriver driver, DefinitionCatalog catalog, int cases)
    {
        long decide = 0, chain = 0, unsealed = 0, summary = 0, chars = 0, bytes = 0;
        var (commands, links, canonical) = (0, 0, 0);
        var rewritten = new SortedSet<string>(StringComparer.Ordinal);
        void Time(PureStep step)
        {
            var started = Stopwatch.GetTimestamp();
            _ = CaseSummary.From(step.State, catalog);
            var summarised = Stopwatch.GetTimestamp();
            _ = CaseStreams.Chain(engine.Serializer, step.CaseId, step.Before?.Head ?? HashChain.Genesis, step.Before?.State.Version ?? 0, step.Accepted.Events,
                step.Command.Actor, step.Command.Now);
            unsealed += Stopwatch.GetTimestamp() - summarised;
            summary += summarised - started;
            decide += step.DecideTicks;
            chain += step.ChainTicks;
            chars += step.Links.Sum(l => (long)l.Json.Length);
            bytes += step.Links.Sum(l => (long)System.Text.Encoding.UTF8.GetByteCount(l.Json));
            foreach (var link in step.Links)
            {
                links++;
                if (CanonicalJson.IsCanonical(System.Text.Encoding.UTF8.GetBytes(link.Json)))
                {
                    canonical++;
                }
                else
                {
                    rewritten.Add(link.EventType);
                }
            }
            commands++;
        }
        for (var i = 0; i < cases; i++)
        {
            engine.RunCase(driver, i, Time);
        }
        double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency / commands;
        return new CoreFigures(commands, Micro(decide), Micro(chain), Micro(unsealed), Micro(summary), (double)chars / commands, (double)bytes / commands,
            links == 0 ? 0 : (double)canonical / links, [.. rewritten]);
    }
}
