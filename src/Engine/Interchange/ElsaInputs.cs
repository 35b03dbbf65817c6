using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Interchange;

/// <summary>
/// Reads one Elsa activity's inputs (<c>{ typeName, expression: { type, value } }</c>) as our values and JavaScript
/// expressions, mapped by expression type: Literal and Object by the input's type (a Literal "False" for a Boolean is
/// false, an Object <c>["One","Two"]</c> an array), JavaScript with Elsa's accessors translated, Variable and Input as
/// reads of vars and data. What cannot carry over (C#, Liquid, Python, an accessor with no counterpart) is an issue at
/// its JSON path, never dropped; <see cref="Placeholder"/> says how it stays visible in a partial import.
/// </summary>
internal sealed partial class ElsaInputs(JsonObject activity, string path, ElsaScope scope)
{
    public const string PlaceholderPrefix = "PLACEHOLDER";

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public List<(string Path, string Reason)> Issues { get; } = [];

    /// <summary>An input as one of our expressions; literals become JavaScript literals of their type.</summary>
    public string? Script(string name, string typeHint = "Object") => ScriptOf(activity[name], $"{path}.{name}", typeHint);

    public string? ScriptOf(JsonNode? input, string at, string typeHint = "Object")
    {
        var (kind, value, typeName) = Unwrap(input);
        var alias = ElsaMapping.TypeAlias(typeName is null or "Object" ? typeHint : typeName);
        switch (kind)
        {
            case null:
                return null;
            case "Literal":
                return ElsaJson.Script(Typed(value, alias));
            case "Object" or "Json":
                return ObjectValue(value, at) is { } parsed ? ElsaJson.Script(parsed) : Placeholder(kind, value, at);
            case "JavaScript":
                return Translate(ElsaJson.Text(value) ?? "", at);
            case "Variable" when scope.VariableName(value) is { } variable:
                return $"vars{ElsaJson.Member(variable)}";
            case "Input" when InputName(value) is { } inputName:
                return $"data{ElsaJson.Member(inputName)}";
            default:
                return Placeholder(kind, value, at);
        }
    }

    /// <summary>An input that must be a fixed value (a list of branches, an event's name): Literal or Object only.</summary>
    public JsonNode? Value(string name, string typeHint = "Object")
    {
        var at = $"{path}.{name}";
        var (kind, value, typeName) = Unwrap(activity[name]);
        var alias = ElsaMapping.TypeAlias(typeName is null or "Object" ? typeHint : typeName);
        switch (kind)
        {
            case null:
                return null;
            case "Literal":
                return Typed(value, alias);
            case "Object" or "Json":
                return ObjectValue(value, at);
            default:
                Issues.Add((at, $"a {kind} expression gives this input at run time; here it must be a fixed value (Literal or Object)"));
                return null;
        }
    }

    /// <summary>An input of one of our own activities (<c>VirtualBranch.&lt;type&gt;</c>): values as values, JavaScript as our expression text.</summary>
    public JsonNode? Custom(string name)
    {
        var (kind, _, _) = Unwrap(activity[name]);
        return kind is "JavaScript" or "CSharp" or "Liquid" or "Python" or "Variable" or "Input" ? ScriptOf(activity[name], $"{path}.{name}") : Value(name, "String");
    }

    /// <summary>A text input (a note's message): a Literal, or a marked placeholder naming what was there.</summary>
    public string? Text(string name)
    {
        var at = $"{path}.{name}";
        var (kind, value, _) = Unwrap(activity[name]);
        return kind switch
        {
            null => null,
            "Literal" => ElsaJson.Text(value) ?? value?.ToJsonString(),
            _ => TextPlaceholder(kind, value, at),
        };
    }

    private string TextPlaceholder(string kind, JsonNode? value, string at)
    {
        Issues.Add((at, $"a {kind} expression gives this text at run time; here the text is fixed"));
        return $"{PlaceholderPrefix} {kind}: {ElsaJson.Text(value) ?? value?.ToJsonString()}";
    }

    /// <summary>
    /// An expression that does not carry over: reported, and kept as a JavaScript expression that fails its step with the
    /// original text, so a partial import never silently runs something else.
    /// </summary>
    private string Placeholder(string kind, JsonNode? value, string at)
    {
        var code = ElsaJson.Text(value) ?? value?.ToJsonString() ?? "";
        Issues.Add((at, kind switch
        {
            "CSharp" => "a C# expression: only sandboxed JavaScript runs here; rewrite it in JavaScript",
            "Liquid" => "a Liquid template: only sandboxed JavaScript runs here; rewrite it in JavaScript",
            "Python" => "a Python expression: only sandboxed JavaScript runs here; rewrite it in JavaScript",
            "Object" or "Json" => $"the Object expression is not JSON: {code}",
            _ => $"a {kind} expression has no counterpart here",
        }));
        var message = JsonSerializer.Serialize($"{PlaceholderPrefix}: the Elsa {kind} expression was not converted: {code}", Readable);
        return $"(() => {{ throw new Error({message}); }})()";
    }

    private JsonNode? ObjectValue(JsonNode? value, string at)
    {
        if (ElsaJson.Text(value) is not { } text)
        {
            return value?.DeepClone();
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (ElsaJson.TryParse(text) is { } parsed)
        {
            return parsed;
        }
        Issues.Add((at, $"the Object expression is not JSON: {text}"));
        return null;
    }

    private string? InputName(JsonNode? value) =>
        value is JsonObject obj ? ElsaJson.Text(obj["name"])
        : ElsaJson.Text(value) is { } text ? (text.TrimStart().StartsWith('{') ? ElsaJson.Text(ElsaJson.TryParse(text)?["name"]) : text)
        : null;

    /// <summary>Elsa writes Literal values as text; the input's type says what they are.</summary>
    public static JsonNode? Typed(JsonNode? value, string alias)
    {
        if (ElsaJson.Text(value) is not { } text)
        {
            return value?.DeepClone();
        }
        switch (alias)
        {
            case "Boolean" when bool.TryParse(text.Trim(), out var flag):
                return flag;
            case "Int16" or "Int32" or "Int64" or "Byte" when long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole):
                return whole;
            case "Double" or "Decimal" or "Single" when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return number;
            case var list when ElsaMapping.IsList(list):
                return text.TrimStart().StartsWith('[') && ElsaJson.TryParse(text) is JsonArray array
                    ? array
                    : new JsonArray([.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(b => (JsonNode?)b)]);
            default:
                return text;
        }
    }

    /// <summary>Input wrappers (<c>{ typeName, expression }</c>), bare expressions (<c>{ type, value }</c>, as in switch cases) or plain values.</summary>
    private static (string? Kind, JsonNode? Value, string? TypeName) Unwrap(JsonNode? input) => input switch
    {
        null => (null, null, null),
        JsonObject wrapper when wrapper["expression"] is JsonObject expression => (ElsaJson.Text(expression["type"]) ?? "Literal", expression["value"], ElsaJson.Text(wrapper["typeName"])),
        JsonObject wrapper when wrapper.ContainsKey("typeName") => (null, null, null),
        JsonObject bare when ElsaJson.Text(bare["type"]) is { } type && bare.ContainsKey("value") => (type, bare["value"], null),
        JsonObject other => ("Object", other, null),
        _ => ("Literal", input, null),
    };

    /// <summary>Elsa's JavaScript with its accessors as ours; calls with no counterpart are reported, never passed through silently.</summary>
    private string Translate(string javaScript, string at)
    {
        var text = VariableFunction().Replace(javaScript, m => $"vars{ElsaJson.Member(m.Groups[1].Value)}");
        text = InputFunction().Replace(text, m => $"data{ElsaJson.Member(m.Groups[1].Value)}");
        text = VariablesObject().Replace(text, "vars.");
        text = Getter().Replace(text, m => scope.Accessor(m.Groups[1].Value) is { } ours ? ours
            : ElsaOnly().IsMatch(m.Value) ? m.Value
            : Untranslated(m.Value, at, $"'{m.Value}' is an Elsa accessor for something this workflow declares no variable or input for; write it with data, vars or steps"));
        foreach (Match setter in Setter().Matches(text))
        {
            Issues.Add((at, $"'{setter.Value}…)' assigns inside an expression; here expressions only read: use a set-variable step"));
        }
        foreach (Match other in ElsaOnly().Matches(text))
        {
            Issues.Add((at, $"'{other.Value}…)' reads Elsa's run-time state, which has no counterpart here; use steps.<id> for a step's output"));
        }
        return text;
    }

    private string Untranslated(string call, string at, string reason)
    {
        Issues.Add((at, reason));
        return call;
    }

    [GeneratedRegex("""\bgetVariable\(\s*["']([^"']+)["']\s*\)""")]
    private static partial Regex VariableFunction();

    [GeneratedRegex("""\bgetInput\(\s*["']([^"']+)["']\s*\)""")]
    private static partial Regex InputFunction();

    [GeneratedRegex(@"(?<![\w$.])variables\.")]
    private static partial Regex VariablesObject();

    [GeneratedRegex(@"(?<![\w$.])get([A-Z][A-Za-z0-9_]*)\(\s*\)")]
    private static partial Regex Getter();

    [GeneratedRegex(@"(?<![\w$.])set[A-Z][A-Za-z0-9_]*\(")]
    private static partial Regex Setter();

    [GeneratedRegex(@"(?<![\w$.])(getOutputFrom|getLastResult|get[A-Z][A-Za-z0-9_]*From[A-Z][A-Za-z0-9_]*)\(")]
    private static partial Regex ElsaOnly();
}
