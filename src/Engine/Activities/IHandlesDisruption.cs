namespace VirtualBranch.Engine.Activities;

/// <summary>What a disruption of a live session does to the case: record it, go back to a step, or leave by a step.</summary>
public static class DisruptionPolicies
{
    /// <summary>Record the disruption; the case goes on where it was.</summary>
    public const string Continue = "continue";

    /// <summary>Go back to a step (e.g. the identity check) and run the flow again from there.</summary>
    public const string Restart = "restart";

    /// <summary>Leave by a step (e.g. the scenario's declined path, which still seals the recording).</summary>
    public const string Abort = "abort";
}

/// <summary>The plan for one disruption: the policy, and for restart or abort the step the flow goes to.</summary>
public sealed record DisruptionPlan(string Policy, string? GoTo);

/// <summary>
/// An activity that owns a live session (a video call) and says what a disruption of it (a dropped connection, the
/// customer leaving) does to the case. Null when its session is not live, so there is nothing to disrupt.
/// </summary>
public interface IHandlesDisruption
{
    DisruptionPlan? Plan(ActivityContext context);
}
