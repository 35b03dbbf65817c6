using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Gives one of the case's outputs the value of an expression (Elsa's <c>SetOutput</c>).</summary>
public sealed class SetOutput : IActivity
{
    public const string TypeName = "set-output";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Sets one of the case's outputs (shown in the case and its timeline) to the value of an expression.",
        [
            new("name", InputKind.Text, true, "The output's name, e.g. decision; declare it in the definition's outputs."),
            new("value", InputKind.Expression, true, "JavaScript giving the value, e.g. vars.total * 2"),
        ],
        [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context)
    {
        var value = context.Evaluate(context.Node.Text("value")!);
        return ActivityResult.Complete(Outcomes.Done, value, new OutputSet(context.StepId, context.Node.Text("name")!, value));
    }
}
