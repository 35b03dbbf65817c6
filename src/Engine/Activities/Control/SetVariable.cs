using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Gives a variable the value of an expression.</summary>
public sealed class SetVariable : IActivity
{
    public const string TypeName = "set-variable";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Sets a variable to the value of an expression.",
        [
            new("variable", InputKind.Text, true, "The variable's name."),
            new("value", InputKind.Expression, true, "JavaScript giving the new value, e.g. vars.attempts + 1"),
        ],
        [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context)
    {
        var value = context.Evaluate(context.Node.Text("value")!);
        return ActivityResult.Complete(Outcomes.Done, value, new VariableSet(context.StepId, context.Node.Text("variable")!, value));
    }
}
