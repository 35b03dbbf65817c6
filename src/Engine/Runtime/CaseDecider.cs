using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Activities.Control;

namespace VirtualBranch.Engine.Runtime;

/// <summary>The interpreter as a decider: <c>Decide(state, command) → events</c>. No I/O, no clock, no randomness.</summary>
public static class CaseDecider
{
    public static Decision Decide(CaseState? state, CaseCommand command, FlowContext flow)
    {
        if (state is not null && command.ExpectedVersion is { } expected && expected != state.Version)
        {
            return Decision.Reject(RejectionKind.Conflict, "The case has changed",
                $"The case is at version {state.Version}, not {expected}; reload it and try again.");
        }
        if (Unstorable(command) is { Count: > 0 } unstorable)
        {
            return Decision.Reject(RejectionKind.Invalid, "The input cannot be kept as evidence",
                "Part of what was sent would not be stored exactly as it is chained; see the errors.", unstorable);
        }
        return (command, state) switch
        {
            (OpenCase open, null) => Open(open, flow),
            (OpenCase open, not null) => Decision.Reject(RejectionKind.Conflict, "The case exists", $"Case {open.CaseId} is already open."),
            (_, null) => Decision.Reject(RejectionKind.NotFound, "No such case", "The case does not exist."),
            (FireTimer or ReportDisruption or RecordPresence, { IsClosed: true }) => new Decision.Accepted([], state),
            (PlaceLegalHold hold, _) => Hold(state, hold.Reason, hold.Actor, place: true, hold.Now),
            (ReleaseLegalHold release, _) => Hold(state, release.Reason, release.Actor, place: false, release.Now),
            (ErasePersonalData erase, _) => Erase(state, erase, flow),
            (_, { IsClosed: true }) => Decision.Reject(RejectionKind.Conflict, "The case is closed",
                $"Case {state.Number} is {state.Status.ToString().ToLowerInvariant()}; nothing more can be done on it."),
            (AssignCase assign, _) => Assign(state, assign),
            (ResumeBookmark resume, _) => Resume(state, resume, flow),
            (SendSignal signal, _) => Signal(state, signal, flow),
            (FireTimer timer, _) => Fire(state, timer, flow),
            (CancelCase cancel, _) => Cancel(state, cancel),
            (IssueCustomerLink issue, _) => CustomerLinks.Issue(state, issue),
            (RecordLinkDelivery delivery, _) => CustomerLinks.Deliver(state, delivery),
            (RedeemCustomerLink redeem, _) => CustomerLinks.Redeem(state, redeem),
            (RevokeCustomerLink revoke, _) => CustomerLinks.Revoke(state, revoke),
            (ReportDisruption disruption, _) => Disruptions.Report(state, disruption, flow),
            (InviteParticipant invite, _) => Participants.Invite(state, invite),
            (RedeemParticipantLink redeem, _) => Participants.Redeem(state, redeem),
            (RemoveParticipant remove, _) => Participants.Remove(state, remove),
            (RecordPresence presence, _) => Participants.Presence(state, presence),
            (RetryStep retry, _) => Retry(state, retry, flow),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown command."),
        };
    }

    /// <summary>What a command brings from outside that its events would not keep exactly (<see cref="StorableJson"/>), each at its place.</summary>
    private static IReadOnlyList<FieldError> Unstorable(CaseCommand command)
    {
        (string Path, string? Text)[] texts = command switch
        {
            CancelCase cancel => [("/reason", cancel.Reason)],
            RevokeCustomerLink revoke => [("/reason", revoke.Reason)],
            ReportDisruption disruption => [("/kind", disruption.Kind), ("/detail", disruption.Detail)],
            InviteParticipant invite => [("/role", invite.Role), ("/name", invite.Name)],
            RemoveParticipant remove => [("/reason", remove.Reason)],
            RecordPresence presence => [("/seat", presence.Seat), ("/role", presence.Role), ("/name", presence.Name)],
            PlaceLegalHold hold => [("/reason", hold.Reason)],
            ReleaseLegalHold release => [("/reason", release.Reason)],
            ErasePersonalData erase => [("/reason", erase.Reason)],
            AssignCase assign => [("/assignee", assign.Assignee), ("/strategy", assign.Strategy)],
            _ => [],
        };
        JsonElement? sent = command switch
        {
            OpenCase open => open.Data,
            ResumeBookmark resume => resume.Input,
            SendSignal signal => signal.Payload,
            _ => null,
        };
        return [.. texts.Select(t => (t.Path, Problem: StorableJson.TextProblem(t.Text))).Where(t => t.Problem is not null).Select(t => new FieldError(t.Path, t.Problem!)),
            .. sent is { } json ? StorableJson.Problems(json) : []];
    }

    /// <summary>Who <see cref="CaseAssigned"/> names for an assignment made as the case opens.</summary>
    public const string Assigner = "assignment";

    private static Decision Open(OpenCase open, FlowContext flow)
    {
        var definition = flow.Definition;
        var errors = flow.Schemas.Validate(definition.Inputs, open.Data);
        if (errors.Count > 0)
        {
            return Decision.Reject(RejectionKind.Invalid, "The case data is invalid",
                $"The data does not match the inputs of {definition.Id} version {definition.Version}.", errors);
        }
        var opened = new CaseOpened(open.CaseId, open.Number, definition.Id, definition.Version, definition.ContentHash,
            open.Data.Clone(), definition.Variables, open.Now, open.Actor.Id);
        var events = new List<object> { opened };
        var state = CaseEvolver.Evolve(null, opened)!;
        // Assigned with the opening, in the same append: no moment where the case waits unassigned for the second command.
        if (open.AssignTo is { } assignment)
        {
            var assigned = new CaseAssigned(assignment.Assignee, assignment.Strategy, Assigner, open.Now);
            events.Add(assigned);
            state = CaseEvolver.Evolve(state, assigned)!;
        }
        var run = new Interpreter(state, flow, open.Actor, open.Now);
        var start = definition.Activities.First(a => a.Type == "start");
        run.Schedule(start.Id, null);
        run.RunUntilIdle();
        events.AddRange(run.Events);
        return new Decision.Accepted(events, run.State);
    }

    private static Decision Resume(CaseState state, ResumeBookmark resume, FlowContext flow) =>
        Resume(state, resume.BookmarkId, resume.Input, resume.Actor, resume.Now, flow, confirm: bookmark => CustomerLinks.Confirm(state, bookmark, resume));

    private static Decision Resume(CaseState state, string bookmarkId, JsonElement input, Actor actor, DateTimeOffset now, FlowContext flow, bool roleChecked = false,
        Func<StepWaiting, (Decision.Rejected? Refused, CustomerConfirmed? Confirmed)>? confirm = null)
    {
        if (state.Status == CaseStatus.Faulted)
        {
            return Decision.Reject(RejectionKind.Conflict, "The case is faulted",
                $"Step '{state.Fault!.StepId}' failed: {state.Fault.Error} A supervisor must retry it first.");
        }
        if (!state.Bookmarks.TryGetValue(bookmarkId, out var bookmark))
        {
            return Decision.Reject(RejectionKind.Conflict, "The step is not waiting",
                $"Bookmark '{bookmarkId}' is not open: it was already resumed, expired, or never existed. Reload the case.");
        }
        if (CaseAccessRule.Refusal(state, actor) is { } refused)
        {
            return refused;
        }
        if (!roleChecked && bookmark.Role is { } role && role != actor.Role)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Not your step",
                $"Step '{bookmark.StepId}' waits for the role '{role}'; you act as '{actor.Role}'.");
        }
        var (unconfirmed, confirmed) = confirm?.Invoke(bookmark) ?? (null, null);
        if (unconfirmed is not null)
        {
            return unconfirmed;
        }
        var node = flow.Definition.Activity(bookmark.StepId)!;
        var run = new Interpreter(state, flow, actor, now);
        var result = run.Execute(node, activity => activity.Resume(run.ContextFor(node), new ResumeInput(input, actor)));
        switch (result)
        {
            case ActivityResult.Rejected rejected:
                return Decision.Reject(RejectionKind.Invalid, "The input is invalid", $"Step '{bookmark.StepId}' cannot accept this input.", rejected.Errors);
            case ActivityResult.Forbidden forbidden:
                return Decision.Reject(RejectionKind.Forbidden, "Not allowed", forbidden.Reason);
            case ActivityResult.Blocked blocked:
                return Decision.Reject(RejectionKind.Conflict, "Not now", blocked.Reason);
        }
        if (confirmed is not null)
        {
            run.Emit(confirmed);
        }
        run.Apply(node, result, resume: new StepResume(bookmarkId, input.Clone(), actor.Id, actor.Role));
        run.RunUntilIdle();
        return new Decision.Accepted(run.Events, run.State);
    }

    private static Decision Signal(CaseState state, SendSignal signal, FlowContext flow)
    {
        // Only a wait-for-signal step takes a signal: older streams also named document uploads as signals, and those
        // facts come only from the Host's own upload, never from whoever can post a signal.
        var waiting = state.Bookmarks.Values.FirstOrDefault(b => b.Signal == signal.Signal && b.ActivityType == WaitForSignal.TypeName);
        if (waiting is null)
        {
            return Decision.Reject(RejectionKind.Conflict, "Nothing waits for this signal",
                $"No step of case {state.Number} waits for the signal '{signal.Signal}'. Signals reach only wait-for-signal steps; documents, recordings and contracts are recorded by the bank's own system.");
        }
        return WaitForSignal.MaySend(waiting, signal.Actor)
            ? Resume(state, waiting.BookmarkId, signal.Payload, signal.Actor, signal.Now, flow, roleChecked: true)
            : Decision.Reject(RejectionKind.Forbidden, "Not allowed to signal",
                $"Step '{waiting.StepId}' takes the signal '{signal.Signal}' from '{waiting.Role}'{(waiting.Role == Roles.System ? " or a supervisor standing in" : "")}; you act as '{signal.Actor.Role}'.");
    }

    // A timer that finds its bookmark gone (resumed, or the case closed) does nothing: firing twice is harmless.
    private static Decision Fire(CaseState state, FireTimer timer, FlowContext flow)
    {
        if (state.Status != CaseStatus.Running
            || !state.Bookmarks.TryGetValue(timer.BookmarkId, out var bookmark)
            || bookmark.Deadline is not { } deadline
            || deadline > timer.Now)
        {
            return new Decision.Accepted([], state);
        }
        var run = new Interpreter(state, flow, timer.Actor, timer.Now);
        run.Emit(new DeadlineReached(bookmark.StepId, bookmark.BookmarkId, deadline, timer.Now));
        var outcome = bookmark.DeadlineOutcome ?? Outcomes.Expired;
        if (run.HasConnection(bookmark.StepId, outcome))
        {
            run.Emit(new StepCompleted(bookmark.StepId, [outcome], null, timer.Now));
            run.Follow(bookmark.StepId, [outcome]);
            run.RunUntilIdle();
        }
        else
        {
            run.Emit(new CaseExpired(bookmark.StepId, timer.Now));
        }
        return new Decision.Accepted(run.Events, run.State);
    }

    private static Decision Cancel(CaseState state, CancelCase cancel) =>
        CaseAccessRule.Refusal(state, cancel.Actor) is { } refused ? refused
        : string.IsNullOrWhiteSpace(cancel.Reason)
            ? Decision.Reject(RejectionKind.Invalid, "A reason is required", "Say why the case is cancelled.", [new FieldError("/reason", "A reason is required.")])
            : new Decision.Accepted([new CaseCancelled(cancel.Reason.Trim(), cancel.Actor.Id, cancel.Now)],
                CaseEvolver.Evolve(state, new CaseCancelled(cancel.Reason.Trim(), cancel.Actor.Id, cancel.Now))!);

    // Assigning to the teller it already has changes nothing; taking it from another needs a supervisor.
    private static Decision Assign(CaseState state, AssignCase assign)
    {
        if (state.Assignee == assign.Assignee)
        {
            return new Decision.Accepted([], state);
        }
        if (state.Assignee is not null && assign.Actor.Role != Roles.Supervisor)
        {
            return Decision.Reject(RejectionKind.Conflict, "Already assigned", $"Case {state.Number} is worked by {state.Assignee}.");
        }
        var assigned = new CaseAssigned(assign.Assignee, assign.Strategy, assign.Actor.Id, assign.Now);
        return new Decision.Accepted([assigned], CaseEvolver.Evolve(state, assigned)!);
    }

    // Legal hold applies to open and closed cases alike; asking for what is already so changes nothing.
    private static Decision Hold(CaseState state, string reason, Actor actor, bool place, DateTimeOffset now)
    {
        if (actor.Role != Roles.Supervisor)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Supervisors only", "Only a supervisor can place or release a legal hold.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Decision.Reject(RejectionKind.Invalid, "A reason is required", "Say why.", [new FieldError("/reason", "A reason is required.")]);
        }
        if (state.LegalHold == place)
        {
            return new Decision.Accepted([], state);
        }
        object @event = place ? new LegalHoldPlaced(reason.Trim(), actor.Id, now) : new LegalHoldReleased(reason.Trim(), actor.Id, now);
        return new Decision.Accepted([@event], CaseEvolver.Evolve(state, @event)!);
    }

    // Only the retention job erases, and only a closed case whose retention has ended and that is not on legal hold; the
    // hold is checked here, in the same decision as the erasure, so a hold placed a moment before wins.
    private static Decision Erase(CaseState state, ErasePersonalData erase, FlowContext flow)
    {
        if (erase.Actor.Role != Roles.System)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Retention only", "Personal data is erased by the retention job when the case's retention ends.");
        }
        if (string.IsNullOrWhiteSpace(erase.Reason))
        {
            return Decision.Reject(RejectionKind.Invalid, "A reason is required", "Say why.", [new FieldError("/reason", "A reason is required.")]);
        }
        if (erase.Files.Select((f, i) => (f, i)).FirstOrDefault(x => !Integrity.EvidenceHash.IsValid(x.f)) is { f: not null } bad)
        {
            return Decision.Reject(RejectionKind.Invalid, "Not an evidence file", "Files are named by their SHA-256.",
                [new FieldError($"/files/{bad.i}", "Must be 64 lowercase hex digits.")]);
        }
        if (state.PersonalDataErasedAt is not null)
        {
            return new Decision.Accepted([], state);
        }
        if (!state.IsClosed || state.ClosedAt is not { } closed)
        {
            return Decision.Reject(RejectionKind.Conflict, "The case is open", $"Case {state.Number} is still open; its data is kept until its retention ends.");
        }
        if (state.LegalHold)
        {
            return Decision.Reject(RejectionKind.Conflict, "The case is on legal hold", $"Case {state.Number} is on legal hold; nothing is erased until it is released.");
        }
        var until = closed.AddYears(Definitions.Retention.YearsOf(flow.Definition));
        if (until > erase.Now)
        {
            return Decision.Reject(RejectionKind.Conflict, "Retention has not ended", $"Case {state.Number} is kept until {until:yyyy-MM-dd}.");
        }
        var erased = new PersonalDataErased(erase.Reason.Trim(), [.. erase.Files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], erase.Actor.Id, erase.Now);
        return new Decision.Accepted([erased], CaseEvolver.Evolve(state, erased)!);
    }

    private static Decision Retry(CaseState state, RetryStep retry, FlowContext flow)
    {
        if (retry.Actor.Role != Roles.Supervisor)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Supervisors only", "Only a supervisor can retry a failed step.");
        }
        if (state.Fault is not { } fault || fault.StepId != retry.StepId)
        {
            return Decision.Reject(RejectionKind.Conflict, "The step has not failed", $"Step '{retry.StepId}' is not failed; nothing to retry.");
        }
        var run = new Interpreter(state, flow, retry.Actor, retry.Now);
        run.Emit(new StepRetried(fault.StepId, retry.Actor.Id, retry.Now));
        run.Schedule(fault.StepId, null);
        run.RunUntilIdle();
        return new Decision.Accepted(run.Events, run.State);
    }
}
