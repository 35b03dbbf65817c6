namespace VirtualBranch.Engine.Definitions;

/// <summary>How large and how long a case's recording may grow: <c>policies.maxRecordingBytes</c> and <c>policies.maxRecordingMinutes</c>, else the defaults.</summary>
public static class RecordingLimits
{
    /// <summary>Used when a definition says nothing: about an hour of the pages' video at their bit rate.</summary>
    public const long DefaultMaxBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Used when a definition says nothing: three hours, longer than any counter session.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromHours(3);

    public static long MaxBytesOf(WorkflowDefinition? definition) => definition?.Policies.MaxRecordingBytes ?? DefaultMaxBytes;

    public static TimeSpan MaxDurationOf(WorkflowDefinition? definition) =>
        definition?.Policies.MaxRecordingMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : DefaultMaxDuration;

    /// <summary>Used when a definition says nothing: a recording may break off for half a minute (a reload) before it counts as a disruption.</summary>
    public static readonly TimeSpan DefaultMaxGap = TimeSpan.FromSeconds(30);

    public static TimeSpan MaxGapOf(WorkflowDefinition? definition) =>
        definition?.Policies.MaxRecordingGapSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultMaxGap;

    /// <summary>Why a chunk arriving at <paramref name="now"/> is past the recording's time, or null while it is within.</summary>
    public static string? Overrun(WorkflowDefinition? definition, DateTimeOffset startedAt, DateTimeOffset now) =>
        now - startedAt > MaxDurationOf(definition)
            ? $"The recording began at {startedAt:u} and may run at most {MaxDurationOf(definition).TotalMinutes:0} minutes; this chunk came at {now:u}."
            : null;
}
