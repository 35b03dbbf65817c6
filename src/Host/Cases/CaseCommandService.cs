using Marten;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Deadlines;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Host.Cases;

/// <summary>What a command did: the events appended and the state after them, or why it was refused.</summary>
public sealed record CommandOutcome(CaseState? State, IReadOnlyList<object> Events, Decision.Rejected? Rejection);

/// <summary>Who asked, for the events' metadata; the idempotency key the request carried, if any.</summary>
public sealed record RequestContext(string CorrelationId, string? CausationId, Idempotency.IdempotencyClaim? Idempotency = null);

/// <summary>
/// The command path: state (from cache, else the stream) → decide → append with the expected version and the
/// summary and any deadline messages in one transaction (Wolverine's Marten outbox; see <see cref="CaseWriter"/>) → on a lost race, reload and decide again.
/// </summary>
public sealed class CaseCommandService(IDocumentStore store, DefinitionCatalog catalog, FlowFactory flows, CaseStateCache cache, BankSigner signer,
    CaseWriter writer, CheckpointService checkpoints, Telemetry.CaseTelemetry telemetry, Privacy.IPersonalDataSealing personalData)
{
    private const int MaxAttempts = 4;
    /// <summary>Who appends the seal of a closed case.</summary>
    public static readonly Actor Sealer = new("virtualbranch", Roles.System);

    public async Task<CommandOutcome> ExecuteAsync(Guid caseId, CaseCommand command, RequestContext request, CancellationToken cancellation,
        WorkflowDefinition? definitionToOpen = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var activity = Telemetry.CaseTelemetry.Start(caseId, command);
        using var logScope = Serilog.Context.LogContext.PushProperty("CaseId", caseId);
        var decided = new Decided();
        var outcome = await DecideAndAppendAsync(caseId, command, request, definitionToOpen, decided, cancellation);
        telemetry.Finish(activity, started, command, decided.Before, decided.Definition, outcome);
        return outcome;
    }

    /// <summary>What the command was decided on, for its telemetry.</summary>
    private sealed class Decided
    {
        public CaseState? Before { get; set; }

        public WorkflowDefinition? Definition { get; set; }
    }

    private async Task<CommandOutcome> DecideAndAppendAsync(Guid caseId, CaseCommand command, RequestContext request, WorkflowDefinition? definitionToOpen,
        Decided decided, CancellationToken cancellation)
    {
        var fromStream = false;
        for (var attempt = 1; ; attempt++)
        {
            var cached = fromStream || command is OpenCase ? null : cache.Get(caseId);
            var current = cached is { } hit && (command.ExpectedVersion is null || hit.State.Version >= command.ExpectedVersion) ? hit
                : command is OpenCase ? null : await LoadAsync(caseId, cancellation);
            var state = current?.State;
            var definition = definitionToOpen ?? (state is null ? null : catalog.Find(state.DefinitionId, state.DefinitionVersion));
            (decided.Before, decided.Definition) = (state, definition);
            if (definition is null)
            {
                return Refused(RejectionKind.NotFound, "No such case", $"Case {caseId} does not exist.");
            }
            var decision = CaseDecider.Decide(state, command, flows.For(definition));
            if (decision is Decision.Rejected or Decision.Accepted { Events.Count: 0 } && ReferenceEquals(current, cached) && current is not null)
            {
                // Another Host may have moved the case on since this Host cached it: refuse (or do nothing) only on what the stream says.
                fromStream = true;
                continue;
            }
            if (decision is Decision.Rejected rejected)
            {
                return new CommandOutcome(state, [], rejected);
            }
            var accepted = (Decision.Accepted)decision;
            if (accepted.Events.Count == 0)
            {
                return new CommandOutcome(accepted.State, [], null);
            }
            try
            {
                var appended = await AppendAsync(caseId, current, definition, accepted, command, request);
                cache.Put(appended);
                return new CommandOutcome(appended.State, accepted.Events, null);
            }
            catch (Exception ex) when (CaseStreams.IsConcurrencyConflict(ex))
            {
                cache.Forget(caseId);
                if (command is OpenCase || command.ExpectedVersion is not null || attempt >= MaxAttempts)
                {
                    return Refused(RejectionKind.Conflict, "The case has changed",
                        "Someone else changed the case at the same moment; reload it and try again.");
                }
            }
        }
    }

    /// <summary>
    /// The chain links of a decided command's events and the state after them. A case that closes is anchored: its chain
    /// head signed with the bank's key, appended as the chain's last link (the seal). Needs at least one event.
    /// </summary>
    public static (IReadOnlyList<ChainLink> Links, CaseState State) ChainAndSeal(BankSigner signer, Weasel.Storage.IStorageSerializer serializer,
        Guid caseId, CachedCase? before, Decision.Accepted accepted, Actor actor, DateTimeOffset now, Func<string, string>? protect = null)
    {
        var links = CaseStreams.Chain(serializer, caseId, before?.Head ?? HashChain.Genesis, before?.State.Version ?? 0, accepted.Events, actor, now, protect);
        // A closed case is sealed once; an erasure of its personal data is sealed again, so that nobody without the bank's
        // key can append one to pass off deleted evidence as erased (SealVerifier wants the seal after it).
        if (!accepted.State.IsClosed || (accepted.State.Sealed && !accepted.Events.Any(e => e is PersonalDataErased)))
        {
            return (links, accepted.State);
        }
        var seal = signer.Seal(accepted.State.Version, links[^1].Hash, now);
        return ([.. links, .. CaseStreams.Chain(serializer, caseId, links[^1].Hash, links[^1].Version, [seal], Sealer, now)], CaseEvolver.Evolve(accepted.State, seal)!);
    }

    /// <summary>
    /// The case as its stream has it now. The cached state is used only when its version is the stream's (one key lookup),
    /// since another Host may have appended since; at least <paramref name="atLeastVersion"/> when given.
    /// </summary>
    public async Task<CaseState?> CurrentAsync(Guid caseId, long? atLeastVersion, CancellationToken cancellation)
    {
        if (cache.Get(caseId) is { } cached && (atLeastVersion is null || cached.State.Version >= atLeastVersion))
        {
            await using var session = store.QuerySession();
            if ((await session.Events.FetchStreamStateAsync(caseId, cancellation))?.Version == cached.State.Version)
            {
                return cached.State;
            }
        }
        return (await LoadAsync(caseId, cancellation))?.State;
    }

    private async Task<CachedCase?> LoadAsync(Guid caseId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var loaded = await CaseStreams.LoadHeadAsync(session, caseId, cancellation);
        if (loaded is not null)
        {
            cache.Put(loaded);
        }
        return loaded;
    }

    private async Task<CachedCase> AppendAsync(Guid caseId, CachedCase? before, WorkflowDefinition definition, Decision.Accepted accepted, CaseCommand command,
        RequestContext request)
    {
        // Deadlines further away than the horizon are found by the deadline sweep instead of a job each.
        var messages = accepted.Events.OfType<StepWaiting>().Where(w => w.Deadline is { } due && due - command.Now <= DeadlineSweep.Horizon)
            .Select(w => (object)new DeadlineScheduled(caseId, w.BookmarkId, w.Deadline!.Value))
            .Concat(accepted.Events.OfType<ICaseIntent>())
            .ToList();
        var protect = await personalData.ProtectionForAsync(caseId, definition, before?.State, accepted.State, command, CancellationToken.None);
        var (links, state) = ChainAndSeal(signer, store.Options.Serializer(), caseId, before, accepted, command.Actor, command.Now, protect);
        await writer.WriteAsync(new PendingAppend(caseId, before, links, CaseSummary.From(state, catalog), messages, request));
        if (links[^1].Data is CaseSealed)
        {
            checkpoints.Sealed(caseId);
        }
        return new CachedCase(state, links[^1].Hash);
    }

    private static CommandOutcome Refused(RejectionKind kind, string title, string detail) =>
        new(null, [], Decision.Reject(kind, title, detail));
}
