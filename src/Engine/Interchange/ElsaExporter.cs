using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtualBranch.Engine.Activities.Control;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Diagrams;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Interchange;

/// <summary>
/// Writes one of our definitions as an Elsa 3 workflow definition in the shape Elsa's own serializer writes (3.6):
/// a Flowchart whose activities carry <c>type</c>, <c>version</c>, <c>nodeId</c>, <c>customProperties</c> and
/// <c>metadata.designer.position</c>, inputs as <c>{ typeName, expression: { type, value } }</c>, connections as
/// <c>source</c>/<c>target</c> with ports. Control activities become Elsa's own where nothing is lost, everything else
/// a custom <c>VirtualBranch.&lt;type&gt;</c> activity; our inputs, outputs and policies ride in <c>customProperties.virtualBranch</c>.
/// </summary>
public static class ElsaExporter
{
    private const string RootId = "flowchart";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Export(WorkflowDefinition definition)
    {
        var layout = DiagramLayout.Of(definition);
        var activities = new JsonArray();
        foreach (var node in definition.Activities)
        {
            var box = layout.Box(node.Id);
            var elsa = ElsaActivityWriter.Write(node);
            elsa["id"] = node.Id;
            elsa["nodeId"] = $"Workflow1:{RootId}:{node.Id}";
            elsa["name"] = node.Id;
            elsa["version"] = 1;
            elsa["customProperties"] = new JsonObject { ["canStartWorkflow"] = node.Type == Start.TypeName, ["runAsynchronously"] = false };
            var metadata = new JsonObject
            {
                ["designer"] = new JsonObject
                {
                    ["position"] = new JsonObject { ["x"] = box.X, ["y"] = box.Y },
                    ["size"] = new JsonObject { ["width"] = box.Width, ["height"] = box.Height },
                },
            };
            if (node.Title is not null)
            {
                metadata["displayText"] = node.Title;
            }
            elsa["metadata"] = metadata;
            activities.Add(elsa);
        }
        var connections = new JsonArray([.. definition.Connections.Select(c => (JsonNode)new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = c.From, ["port"] = ElsaActivityWriter.PortOf(definition.Activity(c.From)!, c.Outcome) },
            ["target"] = new JsonObject { ["activity"] = c.To, ["port"] = "In" },
        })]);
        var outputs = definition.Outputs.ValueKind == JsonValueKind.Object ? JsonNode.Parse(definition.Outputs.GetRawText()) : null;
        var workflow = new JsonObject
        {
            ["id"] = definition.Id,
            ["definitionId"] = definition.Id,
            ["name"] = definition.Name,
            ["description"] = definition.Description,
            ["version"] = definition.Version,
            ["toolVersion"] = "3.6.0.0",
            ["variables"] = new JsonArray([.. definition.Variables.Select(v => (JsonNode)Variable(v.Key, v.Value))]),
            ["inputs"] = Arguments(JsonNode.Parse(definition.Inputs.GetRawText()), input: true),
            ["outputs"] = Arguments(outputs, input: false),
            ["outcomes"] = new JsonArray([.. (outputs?["properties"]?[CaseOutput.Outcomes]?["items"]?["enum"] as JsonArray ?? []).Select(o => o?.DeepClone())]),
            ["customProperties"] = new JsonObject
            {
                ["virtualBranch"] = new JsonObject
                {
                    ["inputs"] = JsonNode.Parse(definition.Inputs.GetRawText()),
                    ["outputs"] = outputs?.DeepClone(),
                    ["policies"] = definition.Policies.Json.ValueKind == JsonValueKind.Object ? JsonNode.Parse(definition.Policies.Json.GetRawText()) : null,
                    ["contentHash"] = definition.ContentHash,
                },
            },
            ["isReadonly"] = false,
            ["isSystem"] = false,
            ["isLatest"] = true,
            ["isPublished"] = true,
            ["options"] = new JsonObject { ["autoUpdateConsumingWorkflows"] = false },
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["id"] = RootId,
                ["nodeId"] = $"Workflow1:{RootId}",
                ["metadata"] = new JsonObject(),
                ["customProperties"] = new JsonObject { ["canStartWorkflow"] = false, ["runAsynchronously"] = false },
                ["activities"] = activities,
                ["variables"] = new JsonArray(),
                ["connections"] = connections,
            },
        };
        return workflow.ToJsonString(Indented);
    }

    /// <summary>A variable as Elsa declares it: its type alias and its initial value as text.</summary>
    private static JsonObject Variable(string name, JsonElement value)
    {
        var (typeName, text) = value.ValueKind switch
        {
            JsonValueKind.String => ("String", value.GetString()),
            JsonValueKind.Number when value.TryGetInt64(out var whole) => ("Int64", whole.ToString(CultureInfo.InvariantCulture)),
            JsonValueKind.Number => ("Double", value.GetRawText()),
            JsonValueKind.True or JsonValueKind.False => ("Boolean", value.GetRawText()),
            _ => ("Object", value.GetRawText()),
        };
        return new JsonObject { ["id"] = name, ["name"] = name, ["typeName"] = typeName, ["isArray"] = false, ["value"] = text, ["storageDriverTypeName"] = null };
    }

    /// <summary>Elsa's workflow inputs or outputs for the properties of one of our schemas (the outcomes list is Elsa's <c>outcomes</c>).</summary>
    private static JsonArray Arguments(JsonNode? schema, bool input)
    {
        var arguments = new JsonArray();
        foreach (var (name, property) in schema?["properties"] as JsonObject ?? [])
        {
            if (!input && name == CaseOutput.Outcomes)
            {
                continue;
            }
            var (alias, isArray) = ElsaMapping.TypeOf(property);
            var argument = new JsonObject
            {
                ["type"] = alias,
                ["name"] = name,
                ["displayName"] = ElsaJson.Text(property?["title"]) ?? name,
                ["description"] = ElsaJson.Text(property?["description"]) ?? "",
                ["category"] = "",
                ["isArray"] = isArray,
            };
            if (input)
            {
                argument["uiHint"] = "singleline";
            }
            arguments.Add(argument);
        }
        return arguments;
    }
}
