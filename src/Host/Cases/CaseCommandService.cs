using Marten;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Deadlines;
using Wolverine.Marten;

namespace VirtualBranch.Host.Cases;

/// <summary>What a command did: the events appended and the state after them, or why it was refused.</summary>
public sealed record CommandOutcome(CaseState? State, IReadOnlyList<object> Events, Decision.Rejected? Rejection);

/// <summary>Who asked, for the events' metadata.</summary>
public sealed record RequestContext(string CorrelationId, string? CausationId);

/// <summary>
/// The command path: state (from cache, else the stream) → decide → append with the expected version and the
/// summary and any deadline messages in one transaction (Wolverine's Marten outbox) → on a lost race, reload and decide again.
/// </summary>
public sealed class CaseCommandService(IDocumentStore store, DefinitionCatalog catalog, FlowFactory flows, CaseStateCache cache, IServiceProvider services)
{
    private const int MaxAttempts = 4;

    public async Task<CommandOutcome> ExecuteAsync(Guid caseId, CaseCommand command, RequestContext request, CancellationToken cancellation,
        WorkflowDefinition? definitionToOpen = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var state = command is OpenCase ? null : await CurrentAsync(caseId, command.ExpectedVersion, cancellation);
            var definition = definitionToOpen ?? (state is null ? null : catalog.Find(state.DefinitionId, state.DefinitionVersion));
            if (definition is null)
            {
                return Refused(RejectionKind.NotFound, "No such case", $"Case {caseId} does not exist.");
            }
            var decision = CaseDecider.Decide(state, command, flows.For(definition));
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
                await AppendAsync(caseId, state, accepted, command.Actor, request, cancellation);
                cache.Put(accepted.State);
                return new CommandOutcome(accepted.State, accepted.Events, null);
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

    public async Task<CaseState?> CurrentAsync(Guid caseId, long? atLeastVersion, CancellationToken cancellation)
    {
        if (cache.Get(caseId) is { } cached && (atLeastVersion is null || cached.Version >= atLeastVersion))
        {
            return cached;
        }
        await using var session = store.QuerySession();
        var state = await CaseStreams.LoadAsync(session, caseId, cancellation: cancellation);
        if (state is not null)
        {
            cache.Put(state);
        }
        return state;
    }

    private async Task AppendAsync(Guid caseId, CaseState? before, Decision.Accepted accepted, Actor actor, RequestContext request, CancellationToken cancellation)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        await using var session = store.LightweightSession();
        outbox.Enroll(session);
        session.CorrelationId = request.CorrelationId;
        session.CausationId = request.CausationId;
        session.LastModifiedBy = actor.Id;
        session.SetHeader("actor-role", actor.Role);
        CaseStreams.Append(session, caseId, before, accepted.Events);
        session.Store(CaseSummary.From(accepted.State));
        foreach (var waiting in accepted.Events.OfType<StepWaiting>().Where(w => w.Deadline is not null))
        {
            await outbox.PublishAsync(new DeadlineScheduled(caseId, waiting.BookmarkId, waiting.Deadline!.Value));
        }
        await session.SaveChangesAsync(cancellation);
    }

    private static CommandOutcome Refused(RejectionKind kind, string title, string detail) =>
        new(null, [], Decision.Reject(kind, title, detail));
}
