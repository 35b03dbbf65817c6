using System.Text.Json;

namespace VirtualBranch.Engine.Definitions;

/// <summary>How long a definition's cases keep their evidence: <c>policies.retentionYears</c>, else the default.</summary>
public static class Retention
{
    /// <summary>Used when a definition says nothing; long enough for the usual banking record-keeping rules.</summary>
    public const int DefaultYears = 10;

    public static int YearsOf(WorkflowDefinition definition) =>
        definition.Policies.RetentionYears is { } years ? (int)Math.Min(years, 1000) : DefaultYears;
}
