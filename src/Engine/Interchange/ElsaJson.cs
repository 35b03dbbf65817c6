using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Interchange;

/// <summary>Small readers of Elsa's JSON shared by the importer's parts.</summary>
internal static partial class ElsaJson
{
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A JavaScript member access for a name: <c>.amount</c>, or <c>["my amount"]</c> when it is no identifier.</summary>
    public static string Member(string name) => Identifier().IsMatch(name) ? $".{name}" : $"[{JsonSerializer.Serialize(name)}]";

    /// <summary>A JSON value as a JavaScript expression (object literals in parentheses, so they are not read as a block).</summary>
    public static string Script(JsonNode? value) => value is JsonObject ? $"({value.ToJsonString()})" : value?.ToJsonString() ?? "null";

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}
