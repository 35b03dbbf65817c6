using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Interchange;

/// <summary>Something of an Elsa workflow that did not carry over, at its JSON path, and why.</summary>
public sealed record ElsaImportIssue(string Path, string ActivityId, string ElsaType, string Reason);

/// <summary>What became of one Elsa activity: the step it became (if any), and how.</summary>
/// <param name="Fate"><c>converted</c>, <c>placeholder</c> (kept, marked, with <c>--partial</c>), <c>not-converted</c>, or <c>added</c> (a step Elsa implies, such as the start).</param>
public sealed record ElsaActivityReport(string Path, string ElsaId, string ElsaType, string? StepId, string? StepType, string Fate, string? Note);

/// <summary>
/// The converted definition (none when the input is no Elsa workflow, or something did not carry over and a partial
/// result was not asked for), what became of each activity, and every issue.
/// </summary>
public sealed record ElsaImportResult(JsonObject? Definition, IReadOnlyList<ElsaImportIssue> Issues, IReadOnlyList<ElsaActivityReport> Activities)
{
    /// <summary>False when the input is not an Elsa workflow at all (not JSON, no root activity, a root container that has no counterpart).</summary>
    public bool Readable { get; init; } = true;

    public static ElsaImportResult Unreadable(string path, string elsaType, string reason) =>
        new(null, [new ElsaImportIssue(path, "", elsaType, reason)], []) { Readable = false };
}
