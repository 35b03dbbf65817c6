using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>
/// Joins parallel branches. <c>all</c> goes on when every incoming branch has arrived; <c>any</c> goes on
/// with the first and lets the later ones end here.
/// </summary>
public sealed class Join : IActivity
{
    public const string TypeName = "join";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Waits for incoming branches: 'all' (default) or 'any' (the first one).",
        [new("mode", InputKind.Text, false, "all (default) or any")],
        [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context)
    {
        var incoming = context.Definition.Into(context.StepId).Select(c => c.From).Distinct().ToList();
        var arrived = context.State.Arrivals.GetValueOrDefault(context.StepId) ?? [];
        var everyone = incoming.All(arrived.Contains);
        var joined = everyone ? new object[] { new BranchesJoined(context.StepId, [.. arrived]) } : [];
        var goOn = context.Node.Text("mode") == "any" ? arrived.Count == 1 : everyone;
        return goOn
            ? new ActivityResult.Completed([Outcomes.Done], null, joined)
            : new ActivityResult.Pending(joined);
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        node.Text("mode") is { } mode && mode is not ("all" or "any")
            ? [new DefinitionProblem($"{path}.inputs.mode", ProblemCodes.InputWrongType, $"The join mode '{mode}' is neither 'all' nor 'any'.")]
            : [];
}
