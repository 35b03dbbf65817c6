namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// A live session was disrupted. <c>GoneTo</c> is the step the flow went to (restart or abort); <c>Superseded</c> the steps
/// whose earlier answers the flow will ask again: they stay in the stream, superseded by the new run.
/// </summary>
public sealed record SessionDisrupted(
    string StepId,
    string Kind,
    string Detail,
    string Policy,
    string? GoneTo,
    IReadOnlyList<string> Superseded,
    string ReportedBy,
    DateTimeOffset DisruptedAt);

/// <summary>A waiting step was left without an answer, because the flow went elsewhere.</summary>
public sealed record StepAbandoned(string StepId, string BookmarkId, string Reason, DateTimeOffset AbandonedAt);
