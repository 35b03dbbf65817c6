using System.Text.Json;

namespace VirtualBranch.Engine.Definitions;

/// <summary>How large a case's recording may grow: <c>policies.maxRecordingBytes</c>, else the default.</summary>
public static class RecordingLimits
{
    /// <summary>Used when a definition says nothing: about an hour of the pages' video at their bit rate.</summary>
    public const long DefaultMaxBytes = 2L * 1024 * 1024 * 1024;

    public static long MaxBytesOf(WorkflowDefinition? definition) =>
        definition is not null && definition.Policies.ValueKind == JsonValueKind.Object
        && definition.Policies.TryGetProperty("maxRecordingBytes", out var bytes) && bytes.TryGetInt64(out var value) && value > 0
            ? value
            : DefaultMaxBytes;
}
