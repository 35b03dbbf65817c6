using System.Collections.Immutable;

namespace VirtualBranch.Engine.Runtime;

/// <summary>Folds a case's events into its state. Pure: the same events always give the same state.</summary>
public static class CaseEvolver
{
    public static CaseState? Fold(IEnumerable<object> events) =>
        events.Aggregate((CaseState?)null, Evolve);

    public static CaseState? Evolve(CaseState? state, object @event)
    {
        if (@event is CaseOpened opened)
        {
            return new CaseState
            {
                Id = opened.CaseId,
                Number = opened.Number,
                DefinitionId = opened.DefinitionId,
                DefinitionVersion = opened.DefinitionVersion,
                DefinitionHash = opened.DefinitionHash,
                Data = opened.Data,
                Variables = opened.Variables.ToImmutableSortedDictionary(StringComparer.Ordinal),
                OpenedAt = opened.OpenedAt,
                OpenedBy = opened.OpenedBy,
                Actors = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
                Version = 1,
            };
        }
        if (state is null)
        {
            throw new InvalidOperationException($"A case stream must begin with {nameof(CaseOpened)}, not {@event.GetType().Name}.");
        }
        var next = Apply(state, @event);
        return next with { Version = state.Version + 1 };
    }

    private static CaseState Apply(CaseState state, object @event) => @event switch
    {
        StepStarted e => state with
        {
            Runs = state.Runs.SetItem(e.StepId, state.Runs.GetValueOrDefault(e.StepId) + 1),
            Arrivals = e.ArrivedFrom is null
                ? state.Arrivals
                : state.Arrivals.SetItem(e.StepId, state.Arrivals.GetValueOrDefault(e.StepId, ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)).Add(e.ArrivedFrom)),
        },
        StepWaiting e => state with
        {
            Bookmarks = state.Bookmarks.SetItem(e.BookmarkId, new Bookmark(
                e.BookmarkId, e.StepId, e.ActivityType, e.Title, e.Role, e.InputSchema, e.Deadline, e.DeadlineOutcome, e.Signal, e.WaitingSince)),
        },
        StepResumed e => state with { Bookmarks = state.Bookmarks.Remove(e.BookmarkId), Actors = state.Actors.SetItem(e.ResumedBy, e.Role) },
        DeadlineReached e => state with { Bookmarks = state.Bookmarks.Remove(e.BookmarkId) },
        StepAbandoned e => state with { Bookmarks = state.Bookmarks.Remove(e.BookmarkId) },
        StepCompleted e => state with { Outputs = e.Output is { } output ? state.Outputs.SetItem(e.StepId, output) : state.Outputs },
        BranchesJoined e => state with { Arrivals = state.Arrivals.Remove(e.StepId) },
        StepFailed e => state with { Status = CaseStatus.Faulted, Fault = new StepFault(e.StepId, e.Error) },
        StepRetried => state with { Status = CaseStatus.Running, Fault = null },
        VariableSet e => state with { Variables = state.Variables.SetItem(e.Name, e.Value) },
        NoteRecorded => state,
        CaseCompleted e => Closed(state, e.Result switch
        {
            "declined" => CaseStatus.Declined,
            "failed" => CaseStatus.Failed,
            _ => CaseStatus.Completed,
        }, e.Result, e.Reason, e.CompletedAt),
        CaseCancelled e => Closed(state, CaseStatus.Cancelled, "cancelled", e.Reason, e.CancelledAt),
        CaseExpired e => Closed(state, CaseStatus.Expired, "expired", $"The deadline of step '{e.StepId}' passed.", e.ExpiredAt),
        CaseSealed => state with { Sealed = true },
        CaseAssigned e => state with { Assignee = e.Assignee },
        LegalHoldPlaced => state with { LegalHold = true },
        LegalHoldReleased => state with { LegalHold = false },
        IDomainEvent domain => domain.Apply(state),
        _ => ParticipantEvents.Apply(state, @event),
    };

    private static CaseState Closed(CaseState state, CaseStatus status, string result, string? reason, DateTimeOffset at) => state with
    {
        Status = status,
        Result = result,
        ResultReason = reason,
        ClosedAt = at,
        Bookmarks = state.Bookmarks.Clear(),
        Fault = null,
    };
}
