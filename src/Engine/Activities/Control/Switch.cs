using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Follows the outcome of the first case whose condition holds, or <c>default</c>.</summary>
public sealed class Switch : IActivity
{
    public const string TypeName = "switch";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Follows the outcome of the first case whose condition holds, otherwise 'default'.",
        [new("cases", InputKind.Array, true, "A list of { \"outcome\": name, \"condition\": expression }, tried in order.")],
        [Outcomes.Default]);

    public ActivityResult Execute(ActivityContext context)
    {
        foreach (var (outcome, condition) in Cases(context.Node))
        {
            if (context.EvaluateCondition(condition))
            {
                return ActivityResult.Complete(outcome);
            }
        }
        return ActivityResult.Complete(Outcomes.Default);
    }

    public IReadOnlyList<string> OutcomesOf(ActivityNode node) => [.. Cases(node).Select(c => c.Outcome).Distinct(), Outcomes.Default];

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks)
    {
        if (node.Input("cases") is not { ValueKind: JsonValueKind.Array } cases)
        {
            yield break;
        }
        var index = 0;
        foreach (var item in cases.EnumerateArray())
        {
            var at = $"{path}.inputs.cases[{index++}]";
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("outcome", out var outcome) || outcome.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("condition", out var condition) || condition.ValueKind != JsonValueKind.String)
            {
                yield return new DefinitionProblem(at, ProblemCodes.InputWrongType, "Each case needs an \"outcome\" (text) and a \"condition\" (expression).");
                continue;
            }
            foreach (var problem in checks.Expression($"{at}.condition", condition.GetString()))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<(string Outcome, string Condition)> Cases(ActivityNode node)
    {
        if (node.Input("cases") is not { ValueKind: JsonValueKind.Array } cases)
        {
            yield break;
        }
        foreach (var item in cases.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String
                && item.TryGetProperty("condition", out var condition) && condition.ValueKind == JsonValueKind.String)
            {
                yield return (outcome.GetString()!, condition.GetString()!);
            }
        }
    }
}
