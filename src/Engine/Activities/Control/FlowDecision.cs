using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>
/// Follows <c>true</c> or <c>false</c> by a condition over the case data and variables (Elsa's <c>FlowDecision</c>; the
/// decider's outcome is <see cref="Runtime.Decision"/>).
/// </summary>
public sealed class FlowDecision : IActivity
{
    public const string TypeName = "decision";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Evaluates a condition and follows the 'true' or the 'false' outcome.",
        [new("condition", InputKind.Expression, true, "JavaScript over data, vars, steps and now, e.g. data.amount > 200000")],
        [Outcomes.True, Outcomes.False]);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Complete(context.EvaluateCondition(context.Node.Text("condition")!) ? Outcomes.True : Outcomes.False);
}
