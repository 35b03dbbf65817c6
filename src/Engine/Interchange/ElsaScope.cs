using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Interchange;

/// <summary>
/// What an Elsa workflow declares that its expressions may name: variables (by id, by name and by the
/// <c>getX()</c>/<c>setX()</c> accessors Elsa generates for them) and workflow inputs (<c>getX()</c> too).
/// </summary>
internal sealed class ElsaScope
{
    private readonly Dictionary<string, (string Name, string Alias)> _variablesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variablesByAccessor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variableTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputs = new(StringComparer.Ordinal);

    /// <summary>The workflow's variables (and the root container's), in order, as Elsa declares them.</summary>
    public List<JsonObject> Variables { get; } = [];

    public static ElsaScope Of(JsonObject workflow, JsonObject container)
    {
        var scope = new ElsaScope();
        foreach (var variable in (workflow["variables"] as JsonArray ?? []).Concat(container["variables"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ElsaJson.Text(variable["name"]) is not { } name || scope._variableTypes.ContainsKey(name))
            {
                continue;
            }
            var alias = ElsaMapping.TypeAlias(ElsaJson.Text(variable["typeName"]));
            scope.Variables.Add(variable);
            scope._variableTypes[name] = alias;
            scope._variablesByAccessor[ElsaMapping.Pascalize(name)] = name;
            if (ElsaJson.Text(variable["id"]) is { } id)
            {
                scope._variablesById[id] = (name, alias);
            }
        }
        foreach (var input in (workflow["inputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (ElsaJson.Text(input["name"]) is { } name)
            {
                scope._inputs.Add(name);
            }
        }
        return scope;
    }

    /// <summary>The variable an Elsa reference names: <c>{ id, name }</c>, a JSON text of it, or an id or name.</summary>
    public string? VariableName(JsonNode? reference)
    {
        if (ElsaJson.Text(reference) is { } text)
        {
            return text.TrimStart().StartsWith('{') && ElsaJson.TryParse(text) is JsonObject parsed ? VariableName(parsed)
                : _variablesById.TryGetValue(text, out var byId) ? byId.Name : text;
        }
        return reference is JsonObject obj
            ? ElsaJson.Text(obj["name"]) ?? (ElsaJson.Text(obj["id"]) is { } id && _variablesById.TryGetValue(id, out var known) ? known.Name : ElsaJson.Text(obj["id"]))
            : null;
    }

    /// <summary>The declared type alias of a variable, <c>Object</c> when unknown.</summary>
    public string VariableType(string name) => _variableTypes.GetValueOrDefault(name, "Object");

    /// <summary>
    /// What Elsa's generated <c>getX()</c> reads: a workflow input (those accessors are made last, so they win) or a
    /// variable whose Pascal-cased name is X; null when neither.
    /// </summary>
    public string? Accessor(string x) =>
        _inputs.Contains(x) ? $"data{ElsaJson.Member(x)}"
        : _variablesByAccessor.TryGetValue(x, out var variable) ? $"vars{ElsaJson.Member(variable)}"
        : null;
}
