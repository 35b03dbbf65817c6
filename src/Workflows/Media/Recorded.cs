using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Workflows.Media;

/// <summary>The rule for steps marked <c>mustBeRecorded</c>: they cannot complete outside an active recording.</summary>
public static class Recorded
{
    public static readonly InputDescriptor Input = new("mustBeRecorded", InputKind.Boolean, false, "Whether the step may only complete while a recording runs.");

    /// <summary>A refusal when the step must be recorded and nothing records now; null otherwise.</summary>
    public static ActivityResult? Require(ActivityContext context, bool byDefault) =>
        context.Flag(Input.Name, byDefault) && MediaFacts.ActiveRecording(context.State) is null
            ? new ActivityResult.Blocked($"Step '{context.StepId}' must be recorded, and no recording is running. Start the recording first.")
            : null;

    public static Guid? Current(ActivityContext context) => MediaFacts.ActiveRecording(context.State);
}
