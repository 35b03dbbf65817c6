using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Ends the case with a result: completed, declined or failed; and, as Elsa's Complete does, with outcomes.</summary>
public sealed class End : IActivity
{
    public const string TypeName = "end";
    public static readonly string[] Results = ["completed", "declined", "failed"];

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Ends the case with a result (completed, declined or failed) and an optional reason.",
        [
            new("result", InputKind.Text, false, "completed (default), declined or failed"),
            new("reason", InputKind.Text, false, "Why the case ends here, for the record."),
            new("outcomes", InputKind.TextList, false, "Outcomes the case ends with (Elsa's Complete), given back as the case output 'outcomes'."),
        ],
        []);

    public ActivityResult Execute(ActivityContext context)
    {
        object[] outcomes = context.Node.Input("outcomes") is { ValueKind: JsonValueKind.Array } given
            ? [new OutputSet(context.StepId, CaseOutput.Outcomes, given)]
            : [];
        return new ActivityResult.Ended(context.Node.Text("result") ?? "completed", context.Node.Text("reason"), outcomes);
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        node.Text("result") is { } result && !Results.Contains(result)
            ? [new DefinitionProblem($"{path}.inputs.result", ProblemCodes.InputWrongType, $"The result '{result}' is not one of {string.Join(", ", Results)}.")]
            : [];
}
