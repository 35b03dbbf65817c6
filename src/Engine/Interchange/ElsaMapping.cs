using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Interchange;

/// <summary>How Elsa 3's ports and types correspond to ours, and which Elsa activities have no counterpart (the ones that have: <see cref="ElsaActivities.Types"/>).</summary>
public static partial class ElsaMapping
{
    public const string CustomPrefix = "VirtualBranch.";

    /// <summary>Why the well-known Elsa activities without a counterpart cannot be converted.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Elsa.HttpEndpoint"] = "HTTP endpoints have no counterpart: cases start through the case API (POST /api/cases)",
        ["Elsa.SendHttpRequest"] = "HTTP requests from a definition are not allowed: steps that need the outside world are activities with intents",
        ["Elsa.FlowSendHttpRequest"] = "HTTP requests from a definition are not allowed: steps that need the outside world are activities with intents",
        ["Elsa.WriteHttpResponse"] = "HTTP responses have no counterpart",
        ["Elsa.RunCSharp"] = "C# scripts are not allowed: expressions are sandboxed JavaScript",
        ["Elsa.RunJavaScript"] = "free-standing scripts are not allowed: use set-variable with an expression",
        ["Elsa.SendEmail"] = "e-mail has no counterpart",
        ["Elsa.Cron"] = "recurring triggers have no counterpart: a case has one start",
    };

    /// <summary>Our outcome name for an Elsa port.</summary>
    public static string Outcome(string ourType, string port) => (ourType, port) switch
    {
        ("timer", "Done") => "elapsed",
        ("wait-for-signal", "Done") => "received",
        (_, "Done") => "done",
        (_, "True") => "true",
        (_, "False") => "false",
        (_, "Default") => "default",
        _ => port,
    };

    /// <summary>The Elsa port for one of our outcomes.</summary>
    public static string Port(string ourType, string outcome) => (ourType, outcome) switch
    {
        ("timer", "elapsed") => "Done",
        ("wait-for-signal", "received") => "Done",
        (_, "done") => "Done",
        ("decision", "true") => "True",
        ("decision", "false") => "False",
        ("switch", "default") => "Default",
        _ => outcome,
    };

    /// <summary>Elsa's type alias without namespace or generic noise: <c>System.Boolean</c> → <c>Boolean</c>.</summary>
    public static string TypeAlias(string? typeName) => typeName is null ? "Object" : typeName.StartsWith("System.", StringComparison.Ordinal) ? typeName[7..] : typeName;

    public static bool IsList(string alias) =>
        alias.EndsWith("[]", StringComparison.Ordinal) || alias.StartsWith("List<", StringComparison.Ordinal)
        || alias.StartsWith("ICollection<", StringComparison.Ordinal) || alias.StartsWith("IEnumerable<", StringComparison.Ordinal);

    /// <summary>The JSON Schema of an Elsa workflow input or output of this type.</summary>
    public static JsonObject SchemaOf(string alias, bool isArray)
    {
        JsonObject Item(string a) => a switch
        {
            "String" or "Char" or "Guid" => new JsonObject { ["type"] = "string" },
            "Int16" or "Int32" or "Int64" or "Byte" => new JsonObject { ["type"] = "integer" },
            "Double" or "Decimal" or "Single" => new JsonObject { ["type"] = "number" },
            "Boolean" => new JsonObject { ["type"] = "boolean" },
            "DateTime" or "DateTimeOffset" => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            _ => [],
        };
        return isArray || IsList(alias) ? new JsonObject { ["type"] = "array", ["items"] = Item(alias.TrimEnd('[', ']')) } : Item(alias);
    }

    /// <summary>The Elsa type alias (and whether it is an array) for one of our JSON Schemas.</summary>
    public static (string Alias, bool IsArray) TypeOf(JsonNode? schema)
    {
        var type = schema?["type"]?.GetValue<string>();
        if (type == "array")
        {
            return (TypeOf(schema!["items"]).Alias, true);
        }
        return (type switch
        {
            "string" when schema?["format"]?.GetValue<string>() == "date-time" => "DateTimeOffset",
            "string" => "String",
            "integer" => "Int64",
            "number" => "Double",
            "boolean" => "Boolean",
            _ => "Object",
        }, false);
    }

    /// <summary>Elsa names generated JavaScript accessors with Humanizer's Pascalize: <c>child_result</c> → <c>ChildResult</c>.</summary>
    public static string Pascalize(string name) => PascalBoundary().Replace(name, m => m.Groups[1].Value.ToUpper(CultureInfo.InvariantCulture));

    [GeneratedRegex("(?:^|[ _-]+)([A-Za-z])")]
    private static partial Regex PascalBoundary();
}
