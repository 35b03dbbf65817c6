using System.Diagnostics;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Integrity;

namespace VirtualBranch.Benchmarks;

/// <summary>Microseconds per command the engine spends before the database, on one thread: deciding, chaining (and sealing), summarising.</summary>
public sealed record CoreFigures(int Commands, double DecideMicroseconds, double ChainMicroseconds, double ChainWithoutSealMicroseconds, double SummaryMicroseconds, double JsonCharsPerCommand);

public static class CoreCost
{
    public static async Task<CoreFigures> MeasureAsync(LoanDriver driver, FlowFactory flows, DefinitionCatalog catalog, BankSigner signer,
        Weasel.Storage.IStorageSerializer serializer, int cases)
    {
        long decide = 0, chain = 0, unsealed = 0, summary = 0, chars = 0;
        var commands = 0;
        for (var i = 0; i < cases; i++)
        {
            CachedCase? current = null;
            Task<CommandOutcome> Execute(Guid id, CaseCommand command, RequestContext request, WorkflowDefinition? open)
            {
                var started = Stopwatch.GetTimestamp();
                var definition = open ?? catalog.Find(current!.State.DefinitionId, current.State.DefinitionVersion)!;
                var accepted = CaseDecider.Decide(current?.State, command, flows.For(definition)) as Decision.Accepted
                    ?? throw new InvalidOperationException($"{command.GetType().Name} was refused");
                var decided = Stopwatch.GetTimestamp();
                var (links, state) = CaseCommandService.ChainAndSeal(signer, serializer, current, accepted, command.Actor, command.Now);
                var chained = Stopwatch.GetTimestamp();
                _ = CaseSummary.From(state, catalog);
                var summarised = Stopwatch.GetTimestamp();
                _ = CaseStreams.Chain(serializer, current?.Head ?? VirtualBranch.Engine.Integrity.HashChain.Genesis, current?.State.Version ?? 0, accepted.Events, command.Actor, command.Now);
                unsealed += Stopwatch.GetTimestamp() - summarised;
                chars += links.Sum(l => (long)l.Json.Length);
                decide += decided - started;
                chain += chained - decided;
                summary += summarised - chained;
                commands++;
                current = new CachedCase(state, links[^1].Hash);
                return Task.FromResult(new CommandOutcome(state, accepted.Events, null));
            }
            await driver.RunAsync(i, Execute);
        }
        double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency / commands;
        return new CoreFigures(commands, Micro(decide), Micro(chain), Micro(unsealed), Micro(summary), (double)chars / commands);
    }
}
