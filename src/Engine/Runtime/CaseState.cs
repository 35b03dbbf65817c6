using System.Collections.Immutable;
using System.Text.Json;

namespace VirtualBranch.Engine.Runtime;

/// <summary>Where a case stands; only <see cref="CaseEvolver.Evolve"/> makes a new one.</summary>
public enum CaseStatus
{
    Running,
    Faulted,
    Completed,
    Declined,
    Failed,
    Cancelled,
    Expired,
}

/// <summary>A step that failed and waits for a retry.</summary>
public sealed record StepFault(string StepId, string Error);

/// <summary>The state of one case, rebuilt from its events. Collections are sorted so equal states serialise equally.</summary>
public sealed record CaseState
{
    public required Guid Id { get; init; }

    public required string Number { get; init; }

    public required string DefinitionId { get; init; }

    public required int DefinitionVersion { get; init; }

    public required string DefinitionHash { get; init; }

    public CaseStatus Status { get; init; } = CaseStatus.Running;

    public required JsonElement Data { get; init; }

    public ImmutableSortedDictionary<string, JsonElement> Variables { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The open waits, by bookmark id: each the <see cref="StepWaiting"/> that opened it (who may resume it, with what input, until when).</summary>
    public ImmutableSortedDictionary<string, StepWaiting> Bookmarks { get; init; } = ImmutableSortedDictionary<string, StepWaiting>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The output of each step's latest completion (a form's input, a decision's value).</summary>
    public ImmutableSortedDictionary<string, JsonElement> Outputs { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>How many times each step has started.</summary>
    public ImmutableSortedDictionary<string, int> Runs { get; init; } = ImmutableSortedDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>For each join, the branches (previous activity ids) that have arrived.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedSet<string>> Arrivals { get; init; } = ImmutableSortedDictionary<string, ImmutableSortedSet<string>>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Facts that domain events record for later steps (e.g. whether a recording is running).</summary>
    public ImmutableSortedDictionary<string, JsonElement> Facts { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    public StepFault? Fault { get; init; }

    /// <summary>Everyone who acted on the case, with the role they acted in (for four-eyes rules).</summary>
    public ImmutableSortedDictionary<string, string> Actors { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>On legal hold: evidence is kept past its retention until released.</summary>
    public bool LegalHold { get; init; }

    /// <summary>When retention's end erased the case's personal data (null while it is kept).</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    public bool Sealed { get; init; }

    /// <summary>The case's current customer link, once one was issued.</summary>
    public CustomerLinkState? CustomerLink { get; init; }

    /// <summary>The people invited into the video session besides the customer, by their link's id.</summary>
    public ImmutableSortedDictionary<string, ParticipantState> Participants { get; init; } = ImmutableSortedDictionary<string, ParticipantState>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Who besides the teller and the customer is in the video room now, by seat.</summary>
    public ImmutableSortedSet<string> InRoom { get; init; } = ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>The teller the case is locked to, once assigned.</summary>
    public string? Assignee { get; init; }

    public string? Result { get; init; }

    public string? ResultReason { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    public required string OpenedBy { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The stream version: how many events made this state.</summary>
    public long Version { get; init; }

    public bool IsClosed => Status is not (CaseStatus.Running or CaseStatus.Faulted);

    public CaseState WithFact(string name, JsonElement value) => this with { Facts = Facts.SetItem(name, value) };

    public JsonElement? Fact(string name) => Facts.TryGetValue(name, out var value) ? value : null;
}
