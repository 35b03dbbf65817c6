using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtualBranch.Engine.Runtime;

/// <summary>Marks a domain event of an activity library (identity verified, contract signed, ...).</summary>
public interface ICaseEvent;

/// <summary>
/// A domain event that asks the Host to do something outside (seal a recording, sign a contract). It is sent through
/// the outbox in the same transaction that records it; the result comes back as a resume of <see cref="BookmarkId"/>.
/// </summary>
public interface ICaseIntent : ICaseEvent
{
    Guid CaseId { get; }

    string BookmarkId { get; }
}

/// <summary>A domain event that also changes what later steps know.</summary>
public interface IDomainEvent : ICaseEvent
{
    CaseState Apply(CaseState state);
}

/// <summary>The case was opened on one exact definition version, with its data.</summary>
public sealed record CaseOpened(
    Guid CaseId,
    string Number,
    string DefinitionId,
    int DefinitionVersion,
    string DefinitionHash,
    JsonElement Data,
    IReadOnlyDictionary<string, JsonElement> Variables,
    DateTimeOffset OpenedAt,
    string OpenedBy);

/// <summary>
/// The flow reached a step (from the previous step, when there is one). Written alone only when nothing else of the step
/// follows in the same command (a join still waiting for a branch); otherwise the step's next event carries the start
/// (<see cref="StepStart"/>). Streams written before that have one for every start.
/// </summary>
public sealed record StepStarted(string StepId, string ActivityType, string? ArrivedFrom, DateTimeOffset StartedAt);

/// <summary>The start a step's event carries when the step started in the same command: no separate <see cref="StepStarted"/>.</summary>
public sealed record StepStart(string ActivityType, string? ArrivedFrom);

/// <summary>
/// The resume a step's event carries when the input that resumed the step also ended or renewed its wait in the same
/// command: no separate <see cref="StepResumed"/>.
/// </summary>
public sealed record StepResume(string BookmarkId, JsonElement Input, string ResumedBy, string Role);

/// <summary>
/// Where a command leaves a step (waiting, completed, failed). It carries what else the same command did to the step, so
/// that each fact is one event: the start, when the step started in this command, and the resume, when an input resumed
/// it. Both are left out of the JSON when absent, so events of streams written before read and serialise as they were.
/// </summary>
public abstract record StepTransition
{
    /// <summary>The step the transition is of.</summary>
    public abstract string StepId { get; init; }

    /// <summary>The step started in this command (absent: it started earlier, or in a stream written before starts were carried).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepStart? Started { get; init; }

    /// <summary>The input that resumed the step in this command (absent: no resume, or a separate <see cref="StepResumed"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepResume? Resumed { get; init; }
}

/// <summary>A step waits: for a role's input, a timer or a signal.</summary>
public sealed record StepWaiting(
    string StepId,
    string BookmarkId,
    string ActivityType,
    string? Title,
    string? Role,
    JsonElement? InputSchema,
    DateTimeOffset? Deadline,
    string? DeadlineOutcome,
    string? Signal,
    DateTimeOffset WaitingSince) : StepTransition;

/// <summary>
/// Someone resumed a waiting step with this input. Written alone only when the step neither ends nor waits again in the
/// same command; otherwise the step's next event carries it (<see cref="StepResume"/>).
/// </summary>
public sealed record StepResumed(string StepId, string BookmarkId, JsonElement Input, string ResumedBy, string Role, DateTimeOffset ResumedAt);

/// <summary>A waiting step's deadline passed before anyone resumed it.</summary>
public sealed record DeadlineReached(string StepId, string BookmarkId, DateTimeOffset Deadline, DateTimeOffset ReachedAt);

/// <summary>A step finished with these outcomes (and an output later steps can read).</summary>
public sealed record StepCompleted(string StepId, IReadOnlyList<string> Outcomes, JsonElement? Output, DateTimeOffset CompletedAt) : StepTransition;

/// <summary>Every branch into a join has arrived; the join starts counting afresh.</summary>
public sealed record BranchesJoined(string StepId, IReadOnlyList<string> Branches);

/// <summary>A step failed; the case is faulted until the step is retried.</summary>
public sealed record StepFailed(string StepId, string Error, DateTimeOffset FailedAt) : StepTransition;

/// <summary>A supervisor asked to run a failed step again.</summary>
public sealed record StepRetried(string StepId, string RetriedBy, DateTimeOffset RetriedAt);

/// <summary>A variable took a new value.</summary>
public sealed record VariableSet(string StepId, string Name, JsonElement Value);

/// <summary>A note for the record, written by a note step.</summary>
public sealed record NoteRecorded(string StepId, string Message, DateTimeOffset RecordedAt);

/// <summary>The case reached its end: completed, declined or failed.</summary>
public sealed record CaseCompleted(string Result, string? Reason, DateTimeOffset CompletedAt);

/// <summary>Someone cancelled the case.</summary>
public sealed record CaseCancelled(string Reason, string CancelledBy, DateTimeOffset CancelledAt);

/// <summary>A deadline passed with nowhere to go: the case expired.</summary>
public sealed record CaseExpired(string StepId, DateTimeOffset ExpiredAt);

/// <summary>The closed case's chain head, signed with the bank's key (CMS, detached, base64).</summary>
public sealed record CaseSealed(long SealedVersion, string ChainHead, string Signature, string SignerThumbprint, DateTimeOffset SealedAt);

/// <summary>A supervisor put the case's evidence on legal hold: it must be kept past its retention.</summary>
public sealed record LegalHoldPlaced(string Reason, string PlacedBy, DateTimeOffset PlacedAt);

/// <summary>A supervisor released the legal hold.</summary>
public sealed record LegalHoldReleased(string Reason, string ReleasedBy, DateTimeOffset ReleasedAt);

/// <summary>
/// Retention ended with no legal hold: the case's personal data was erased (its data key destroyed, so every sealed
/// personal value reads as erased) and the evidence files listed were deleted. The chain still verifies: it was taken
/// over the stored text, and verify accepts these files' absence.
/// </summary>
public sealed record PersonalDataErased(string Reason, IReadOnlyList<string> Files, string ErasedBy, DateTimeOffset ErasedAt);

/// <summary>The case was handed to a teller, who alone works it from now on.</summary>
public sealed record CaseAssigned(string Assignee, string Strategy, string AssignedBy, DateTimeOffset AssignedAt);

/// <summary>The engine's own events, for registration with the store.</summary>
public static class CaseEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(CaseOpened), typeof(StepStarted), typeof(StepWaiting), typeof(StepResumed), typeof(DeadlineReached),
        typeof(StepCompleted), typeof(BranchesJoined), typeof(StepFailed), typeof(StepRetried), typeof(VariableSet), typeof(NoteRecorded),
        typeof(CaseCompleted), typeof(CaseCancelled), typeof(CaseExpired),
        typeof(CaseSealed), typeof(LegalHoldPlaced), typeof(LegalHoldReleased), typeof(PersonalDataErased), typeof(EvidenceAccessed), typeof(CaseAssigned),
        .. CustomerLinkEvents.All, .. ParticipantEvents.All, typeof(SessionDisrupted), typeof(StepAbandoned),
    ];
}

/// <summary>Someone read a case's evidence (kept in the case's separate access-log stream).</summary>
public sealed record EvidenceAccessed(Guid? CaseId, string Reader, string Role, string What, string? Reason, DateTimeOffset AccessedAt);
