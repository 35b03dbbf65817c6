using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>A case as a queue shows it. A projection: always rebuilt from the case's events, never edited by hand.</summary>
public sealed record CaseSummary
{
    public required Guid Id { get; init; }

    public required string Number { get; init; }

    public required string DefinitionId { get; init; }

    public required int DefinitionVersion { get; init; }

    public required string Status { get; init; }

    /// <summary>The roles expected to act now (from the open bookmarks).</summary>
    public required IReadOnlyList<string> ExpectedRoles { get; init; }

    public required IReadOnlyList<WaitingStep> Waiting { get; init; }

    /// <summary>The earliest deadline among the open steps.</summary>
    public DateTimeOffset? DueAt { get; init; }

    public string? Assignee { get; init; }

    /// <summary>Who opened the case or acted on it (a teller sees in the queue the cases they work).</summary>
    public IReadOnlyList<string> WorkedBy { get; init; } = [];

    public required DateTimeOffset OpenedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public required long Version { get; init; }

    public bool LegalHold { get; init; }

    /// <summary>When the case's personal data was erased at the end of its retention.</summary>
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    /// <summary>Until when the case's evidence must be kept (closing time plus the definition's retention years).</summary>
    public DateTimeOffset? RetainUntil { get; init; }

    /// <summary>The summary with the retention of the definition version the case runs on (none when that version is unknown here).</summary>
    public static CaseSummary From(CaseState state, DefinitionCatalog catalog) =>
        From(state, catalog.Find(state.DefinitionId, state.DefinitionVersion) is { } definition ? Retention.YearsOf(definition) : null);

    public static CaseSummary From(CaseState state, int? retentionYears) => new()
    {
        Id = state.Id,
        Number = state.Number,
        DefinitionId = state.DefinitionId,
        DefinitionVersion = state.DefinitionVersion,
        Status = state.Status.ToString().ToLowerInvariant(),
        ExpectedRoles = [.. state.Bookmarks.Values.Select(b => b.Role).OfType<string>().Distinct().Order(StringComparer.Ordinal)],
        Waiting = [.. state.Bookmarks.Values.Select(b => new WaitingStep(b.BookmarkId, b.StepId, b.Title, b.Role, b.Deadline))],
        DueAt = state.Bookmarks.Values.Select(b => b.Deadline).Where(d => d is not null).Min(),
        Assignee = state.Assignee,
        WorkedBy = [.. state.Actors.Keys.Append(state.OpenedBy).Distinct().Order(StringComparer.Ordinal)],
        OpenedAt = state.OpenedAt,
        ClosedAt = state.ClosedAt,
        Version = state.Version,
        LegalHold = state.LegalHold,
        PersonalDataErasedAt = state.PersonalDataErasedAt,
        RetainUntil = state.ClosedAt is { } closed && retentionYears is { } years ? closed.AddYears(years) : null,
    };
}

/// <summary>One open step in a queue entry.</summary>
public sealed record WaitingStep(string BookmarkId, string StepId, string? Title, string? Role, DateTimeOffset? Deadline);
