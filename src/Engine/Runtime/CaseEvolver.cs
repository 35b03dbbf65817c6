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
        StepStarted e => Started(state, e.StepId, e.ArrivedFrom),
        StepWaiting e => Waiting(Carried(state, e), e),
        StepResumed e => Resumed(state, e.BookmarkId, e.ResumedBy, e.Role),
        DeadlineReached e => state with { Bookmarks = state.Bookmarks.Remove(e.BookmarkId) },
        StepAbandoned e => state with { Bookmarks = state.Bookmarks.Remove(e.BookmarkId) },
        StepCompleted e => Completed(Carried(state, e), e),
        BranchesJoined e => state with { Arrivals = state.Arrivals.Remove(e.StepId) },
        StepFailed e => Carried(state, e) with { Status = CaseStatus.Faulted, Fault = new StepFault(e.StepId, e.Error) },
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
        PersonalDataErased erased => state with { PersonalDataErasedAt = erased.ErasedAt },
        IDomainEvent domain => domain.Apply(state),
        _ => ParticipantEvents.Apply(state, @event),
    };

    /// <summary>A step's start: its run counted, and its arrival noted when it came from another step (a join counts arrivals).</summary>
    internal static CaseState Started(CaseState state, string stepId, string? arrivedFrom) => state with
    {
        Runs = state.Runs.SetItem(stepId, state.Runs.GetValueOrDefault(stepId) + 1),
        Arrivals = arrivedFrom is null
            ? state.Arrivals
            : state.Arrivals.SetItem(stepId, state.Arrivals.GetValueOrDefault(stepId, ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)).Add(arrivedFrom)),
    };

    private static CaseState Waiting(CaseState state, StepWaiting e) => state with
    {
        // The wait as it stands, whichever shape of stream it came from: the start and resume it carried are folded already.
        Bookmarks = state.Bookmarks.SetItem(e.BookmarkId, e with { Started = null, Resumed = null }),
    };

    private static CaseState Completed(CaseState state, StepCompleted e) =>
        e.Output is { } output ? state with { Outputs = state.Outputs.SetItem(e.StepId, output) } : state;

    private static CaseState Resumed(CaseState state, string bookmarkId, string resumedBy, string role) =>
        state with { Bookmarks = state.Bookmarks.Remove(bookmarkId), Actors = state.Actors.SetItem(resumedBy, role) };

    /// <summary>
    /// The start and the resume a transition carries, applied before the transition itself, in the order a stream written
    /// before they were carried has them as events of their own: the same stream of facts folds to the same state.
    /// </summary>
    private static CaseState Carried(CaseState state, StepTransition transition)
    {
        var started = transition.Started is { } start ? Started(state, transition.StepId, start.ArrivedFrom) : state;
        return transition.Resumed is { } resume ? Resumed(started, resume.BookmarkId, resume.ResumedBy, resume.Role) : started;
    }

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
