using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Engine.Schemas;

namespace VirtualBranch.Engine.Activities;

/// <summary>The checks an activity may use when it validates its own inputs.</summary>
public sealed class DefinitionChecks(IExpressionEvaluator expressions, SchemaValidator schemas)
{
    public IEnumerable<DefinitionProblem> Expression(string path, string? text)
    {
        if (text is null)
        {
            yield break;
        }
        if (expressions.SyntaxError(text) is { } error)
        {
            yield return new DefinitionProblem(path, ProblemCodes.ExpressionSyntax, $"The expression does not parse: {error.Replace("Could not prepare script: ", "", StringComparison.Ordinal)}");
        }
    }

    public IEnumerable<DefinitionProblem> Schema(string path, JsonElement schema) =>
        schemas.SchemaProblems(schema).Select(p => new DefinitionProblem(path, ProblemCodes.InvalidSchema, $"Not a usable JSON Schema: {p}"));

    /// <summary>A deadline is an ISO 8601 duration or an expression.</summary>
    public IEnumerable<DefinitionProblem> Deadline(string path, string? text) =>
        text is null || IsoDuration.TryParse(text, out _) || expressions.SyntaxError(text) is null
            ? []
            : [new DefinitionProblem(path, ProblemCodes.InvalidDuration,
                $"'{text}' is neither an ISO 8601 duration (such as PT30M or P2D) nor an expression giving a timestamp.")];
}
