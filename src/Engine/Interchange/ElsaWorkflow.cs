using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Interchange;

/// <summary>The workflow-level parts of an Elsa definition as ours: variables with typed initial values, inputs and outputs as JSON Schemas.</summary>
internal static class ElsaWorkflow
{
    public static JsonObject Variables(ElsaScope scope)
    {
        var result = new JsonObject();
        foreach (var variable in scope.Variables)
        {
            var name = ElsaJson.Text(variable["name"])!;
            var alias = ElsaMapping.TypeAlias(ElsaJson.Text(variable["typeName"]));
            // Elsa keeps initial values as text; a value of type Object is JSON text when it parses as JSON.
            var typed = ElsaInputs.Typed(variable["value"], alias);
            result[name] = alias is not ("String" or "Char" or "Guid") && ElsaJson.Text(typed) is { } text
                ? text.Trim() == "null" ? null : ElsaJson.TryParse(text) ?? text
                : typed;
        }
        return result;
    }

    /// <summary>The case data's schema: ours when the file came from us, else Elsa's workflow inputs as properties.</summary>
    public static JsonNode Inputs(JsonObject workflow) =>
        workflow["customProperties"]?["virtualBranch"]?["inputs"]?.DeepClone() ?? Schema(workflow["inputs"] as JsonArray ?? [], null) ?? new JsonObject { ["type"] = "object" };

    /// <summary>The case output's schema: Elsa's workflow outputs as properties, its declared outcomes as the <c>outcomes</c> list.</summary>
    public static JsonNode? Outputs(JsonObject workflow)
    {
        if (workflow["customProperties"]?["virtualBranch"] is JsonObject ours)
        {
            return ours["outputs"]?.DeepClone();
        }
        var outcomes = (workflow["outcomes"] as JsonArray ?? []).Select(ElsaJson.Text).OfType<string>().ToList();
        return Schema(workflow["outputs"] as JsonArray ?? [], outcomes.Count == 0 ? null
            : new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["enum"] = new JsonArray([.. outcomes.Select(o => (JsonNode?)o)]) } });
    }

    private static JsonObject? Schema(JsonArray arguments, JsonObject? outcomes)
    {
        var properties = new JsonObject();
        foreach (var argument in arguments.OfType<JsonObject>())
        {
            if (ElsaJson.Text(argument["name"]) is not { } name)
            {
                continue;
            }
            var isArray = argument["isArray"] is JsonValue flag && flag.TryGetValue<bool>(out var yes) && yes;
            var property = ElsaMapping.SchemaOf(ElsaMapping.TypeAlias(ElsaJson.Text(argument["type"])), isArray);
            if (ElsaJson.Text(argument["displayName"]) is { Length: > 0 } title && title != name)
            {
                property["title"] = title;
            }
            if (ElsaJson.Text(argument["description"]) is { Length: > 0 } description)
            {
                property["description"] = description;
            }
            properties[name] = property;
        }
        if (outcomes is not null)
        {
            properties[Activities.Control.CaseOutput.Outcomes] = outcomes;
        }
        return properties.Count == 0 ? null : new JsonObject { ["type"] = "object", ["properties"] = properties };
    }
}
