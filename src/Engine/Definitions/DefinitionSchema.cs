using System.Text.Json;
using System.Text.Json.Nodes;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// The JSON Schema of definition files, generated from the activity descriptors: every activity type with its
/// inputs (typed, required, described) and outcomes. Definitions point at it with <c>"$schema": "./schema.json"</c>
/// so an editor completes and checks them as the analyst types.
/// </summary>
public static class DefinitionSchema
{
    public const string FileName = "schema.json";

    /// <summary>The definition files of a folder, in order: every <c>*.json</c> but the schema itself.</summary>
    public static IReadOnlyList<string> DefinitionFilesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.json").Where(f => Path.GetFileName(f) != FileName).Order(StringComparer.Ordinal)];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Generate(ActivityRegistry activities, IEnumerable<IDefinitionRule> rules)
    {
        var all = activities.All.OrderBy(a => a.Descriptor.Type, StringComparer.Ordinal).ToList();
        var definitions = new JsonObject();
        foreach (var activity in all)
        {
            definitions[activity.Descriptor.Type] = Activity(activity.Descriptor);
        }
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://virtualbranch.example/schemas/definition.json",
            ["title"] = "VirtualBranch scenario definition",
            ["description"] = "A scenario as a flowchart of activities joined by outcome connections. Generated from the activity descriptors; do not edit by hand.",
            ["type"] = "object",
            ["required"] = new JsonArray("id", "version", "name", "inputs", "activities", "connections"),
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["$schema"] = new JsonObject { ["type"] = "string" },
                ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = DefinitionParser.IdFormat, ["description"] = "Lower-case letters, digits and dashes; the file is named <id>.json." },
                ["version"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "Raise it to publish a change; cases keep the version they started on." },
                ["name"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                ["description"] = new JsonObject { ["type"] = "string" },
                ["inputs"] = new JsonObject { ["type"] = "object", ["description"] = "JSON Schema of the data a case is opened with." },
                ["outputs"] = new JsonObject { ["type"] = "object", ["description"] = "JSON Schema of what the case gives back: set-output steps and an end's outcomes (Elsa's workflow outputs and outcomes)." },
                ["variables"] = new JsonObject { ["type"] = "object" },
                ["policies"] = ScenarioPolicies.Schema(DefinitionParser.PoliciesKnown(rules)),
                ["activities"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("id", "type"),
                        ["properties"] = new JsonObject
                        {
                            ["id"] = new JsonObject { ["type"] = "string" },
                            ["type"] = new JsonObject { ["enum"] = new JsonArray([.. all.Select(a => (JsonNode)a.Descriptor.Type)]) },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["inputs"] = new JsonObject { ["type"] = "object" },
                        },
                        ["allOf"] = new JsonArray([.. all.Select(a => (JsonNode)new JsonObject
                        {
                            ["if"] = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = a.Descriptor.Type } } },
                            ["then"] = new JsonObject { ["$ref"] = $"#/$defs/{a.Descriptor.Type}" },
                        })]),
                    },
                },
                ["connections"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("from", "outcome", "to"),
                        ["additionalProperties"] = false,
                        ["properties"] = new JsonObject
                        {
                            ["from"] = new JsonObject { ["type"] = "string" },
                            ["outcome"] = new JsonObject { ["type"] = "string" },
                            ["to"] = new JsonObject { ["type"] = "string" },
                        },
                    },
                },
            },
            ["$defs"] = definitions,
        };
        return schema.ToJsonString(Indented) + "\n";
    }

    private static JsonObject Activity(ActivityDescriptor descriptor)
    {
        var inputs = new JsonObject();
        foreach (var input in descriptor.Inputs)
        {
            var property = Shape(input.Kind);
            property["description"] = input.Description;
            inputs[input.Name] = property;
        }
        var outcomes = descriptor.Outcomes.Count > 0 ? string.Join(", ", descriptor.Outcomes) : "set by its inputs";
        var body = new JsonObject
        {
            ["description"] = $"{descriptor.Description} Category: {descriptor.Category}. Outcomes: {outcomes}.{(descriptor.Waits ? $" Waits for: {descriptor.DefaultRole ?? "a role"}." : "")}",
            ["x-outcomes"] = new JsonArray([.. descriptor.Outcomes.Select(o => (JsonNode)o)]),
            ["x-waits"] = descriptor.Waits,
            ["properties"] = new JsonObject
            {
                ["inputs"] = new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["required"] = new JsonArray([.. descriptor.Inputs.Where(i => i.Required).Select(i => (JsonNode)i.Name)]),
                    ["properties"] = inputs,
                },
            },
        };
        if (descriptor.Inputs.Any(i => i.Required))
        {
            body["required"] = new JsonArray("inputs");
        }
        return body;
    }

    private static JsonObject Shape(InputKind kind) => kind switch
    {
        InputKind.Text or InputKind.Expression or InputKind.Duration => new JsonObject { ["type"] = "string" },
        InputKind.Integer => new JsonObject { ["type"] = "integer" },
        InputKind.Number => new JsonObject { ["type"] = "number" },
        InputKind.Boolean => new JsonObject { ["type"] = "boolean" },
        InputKind.Schema or InputKind.Object => new JsonObject { ["type"] = "object" },
        InputKind.Array => new JsonObject { ["type"] = "array" },
        InputKind.TextList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
        _ => [],
    };
}
