using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Engine.Schemas;

namespace VirtualBranch.Engine.Activities;

/// <summary>Everything a step may read: the case as it is now, its own inputs, the command's clock value and actor.</summary>
public sealed class ActivityContext(
    CaseState state,
    ActivityNode node,
    WorkflowDefinition definition,
    Actor actor,
    DateTimeOffset now,
    IExpressionEvaluator expressions,
    SchemaValidator schemas)
{
    public CaseState State { get; } = state;

    public ActivityNode Node { get; } = node;

    public WorkflowDefinition Definition { get; } = definition;

    public Actor Actor { get; } = actor;

    /// <summary>The time the command carries; activities never read a clock.</summary>
    public DateTimeOffset Now { get; } = now;

    public SchemaValidator Schemas { get; } = schemas;

    public string StepId => Node.Id;

    /// <summary>How many times this step has started in this case (1 on the first run).</summary>
    public int Run => State.Runs.GetValueOrDefault(Node.Id);

    /// <summary>A seed that is the same on every replay of this step run, for draws such as question pools.</summary>
    public int Seed => StableHash.Of($"{State.Id:N}/{Node.Id}/{Run}");

    public JsonElement Evaluate(string expression, JsonElement? input = null) =>
        expressions.Evaluate(expression, new ExpressionScope(State.Data, State.Variables, input, State.Outputs, Now));

    public bool EvaluateCondition(string expression, JsonElement? input = null) =>
        ExpressionEvaluator.IsTruthy(Evaluate(expression, input));

    /// <summary>A deadline from an ISO 8601 duration (<c>PT30M</c>) or an expression yielding a timestamp.</summary>
    public DateTimeOffset? Deadline(string inputName)
    {
        var text = Node.Text(inputName);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (IsoDuration.TryParse(text, out var duration))
        {
            return Now + duration;
        }
        var value = Evaluate(text);
        return value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new ExpressionException($"Deadline '{text}' is neither an ISO 8601 duration nor an expression giving a timestamp.");
    }
}
