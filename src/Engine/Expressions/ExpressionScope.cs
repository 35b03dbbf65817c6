using System.Text.Json;

namespace VirtualBranch.Engine.Expressions;

/// <summary>What an expression can read, as read-only JSON: <c>data</c>, <c>vars</c>, <c>input</c>, <c>steps</c> and <c>now</c>.</summary>
public sealed record ExpressionScope(
    JsonElement Data,
    IReadOnlyDictionary<string, JsonElement> Variables,
    JsonElement? Input,
    IReadOnlyDictionary<string, JsonElement> Steps,
    DateTimeOffset Now);

/// <summary>An expression failed at run time (error, too many statements, too much memory); the step faults with this message.</summary>
public sealed class ExpressionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Evaluates analysts' expressions; pure: the same scope gives the same value.</summary>
public interface IExpressionEvaluator
{
    JsonElement Evaluate(string expression, ExpressionScope scope);

    /// <summary>Null when the expression parses; otherwise where and why it does not.</summary>
    string? SyntaxError(string expression);
}
