using System.Text.Json;
using VirtualBranch.Engine.Activities.Control;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Cases;

/// <summary>A case as the API shows it.</summary>
public sealed record CaseBody(
    Guid Id,
    string Number,
    string DefinitionId,
    int DefinitionVersion,
    string DefinitionHash,
    string Status,
    long Version,
    JsonElement Data,
    IReadOnlyDictionary<string, JsonElement> Variables,
    IReadOnlyDictionary<string, JsonElement> Output,
    IReadOnlyList<WaitingBody> Waiting,
    string? Result,
    string? ResultReason,
    FaultBody? Fault,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    DateTimeOffset? ClosedAt)
{
    public static CaseBody From(CaseState state) => new(
        state.Id, state.Number, state.DefinitionId, state.DefinitionVersion, state.DefinitionHash,
        state.Status.ToString().ToLowerInvariant(), state.Version, state.Data, state.Variables, CaseOutput.Of(state),
        [.. state.Bookmarks.Values.Select(b => new WaitingBody(b.BookmarkId, b.StepId, b.ActivityType, b.Title, b.Role, b.InputSchema, b.Deadline, b.Signal))],
        state.Result, state.ResultReason,
        state.Fault is { } fault ? new FaultBody(fault.StepId, fault.Error) : null,
        state.OpenedAt, state.OpenedBy, state.ClosedAt);
}

/// <summary>An open bookmark: what is expected now, from whom, with what input, until when.</summary>
public sealed record WaitingBody(string BookmarkId, string StepId, string ActivityType, string? Title, string? Role, JsonElement? InputSchema, DateTimeOffset? Deadline, string? Signal);

/// <summary>The step that failed and why.</summary>
public sealed record FaultBody(string StepId, string Error);
