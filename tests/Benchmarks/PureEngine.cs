using System.Diagnostics;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Integrity;

namespace VirtualBranch.Benchmarks;

/// <summary>One command as the engine decided and chained it, with the time each part took (in stopwatch ticks).</summary>
public sealed record PureStep(Guid CaseId, CachedCase? Before, CaseCommand Command, RequestContext Request, Decision.Accepted Accepted, IReadOnlyList<ChainLink> Links,
    CaseState State, long DecideTicks, long ChainTicks);

/// <summary>
/// A loan case through the engine's own decider, chain and seal, without a database: what the history seeder writes
/// and what the core cost times.
/// </summary>
public sealed class PureEngine(FlowFactory flows, DefinitionCatalog catalog, BankSigner signer, Weasel.Storage.IStorageSerializer serializer)
{
    public Weasel.Storage.IStorageSerializer Serializer => serializer;

    /// <summary>Runs one case to its end; <paramref name="step"/> sees each command once it is decided and chained. Returns the case as it ends.</summary>
    public CachedCase RunCase(LoanDriver driver, int index, Action<PureStep> step)
    {
        CachedCase? current = null;
        Task<CommandOutcome> Execute(Guid id, CaseCommand command, RequestContext request, WorkflowDefinition? open)
        {
            var started = Stopwatch.GetTimestamp();
            var definition = open ?? catalog.Find(current!.State.DefinitionId, current.State.DefinitionVersion)!;
            var accepted = CaseDecider.Decide(current?.State, command, flows.For(definition)) as Decision.Accepted
                ?? throw new InvalidOperationException($"{command.GetType().Name} was refused");
            var decided = Stopwatch.GetTimestamp();
            var (links, state) = CaseCommandService.ChainAndSeal(signer, serializer, id, current, accepted, command.Actor, command.Now);
            step(new PureStep(id, current, command, request, accepted, links, state, decided - started, Stopwatch.GetTimestamp() - decided));
            current = new CachedCase(state, links[^1].Hash);
            return Task.FromResult(new CommandOutcome(state, accepted.Events, null));
        }
        driver.RunAsync(index, Execute).GetAwaiter().GetResult(); // the pure path completes synchronously
        return current!;
    }
}
