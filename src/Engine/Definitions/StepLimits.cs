namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// How many steps a case may pass in one command: <c>policies.maxStepsPerCommand</c>, else 1,000. A loop that never
/// waits (Elsa's counter loops through a decision) runs within it; one that would run forever fails its step instead.
/// </summary>
public static class StepLimits
{
    public const string Policy = "maxStepsPerCommand";

    public const int DefaultMaxStepsPerCommand = 1_000;

    public static long MaxStepsPerCommandOf(WorkflowDefinition definition) => definition.Policies.MaxStepsPerCommand ?? DefaultMaxStepsPerCommand;
}
