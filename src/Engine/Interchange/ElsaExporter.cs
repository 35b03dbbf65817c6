using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Diagrams;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Interchange;

/// <summary>
/// Writes one of our definitions as an Elsa 3 workflow definition (a Flowchart) that Elsa Studio opens: control
/// activities as Elsa's own where nothing is lost, everything else as custom <c>VirtualBranch.&lt;type&gt;</c> activities
/// with their inputs; the case inputs schema and policies ride along in <c>customProperties.virtualBranch</c>.
/// </summary>
public static class ElsaExporter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Export(WorkflowDefinition definition)
    {
        var layout = DiagramLayout.Of(definition);
        var activities = new JsonArray();
        foreach (var node in definition.Activities)
        {
            var box = layout.Box(node.Id);
            var elsa = Activity(node);
            elsa["id"] = node.Id;
            elsa["version"] = 1;
            var metadata = new JsonObject { ["designer"] = new JsonObject { ["position"] = new JsonObject { ["x"] = box.X, ["y"] = box.Y } } };
            if (node.Title is not null)
            {
                metadata["displayText"] = node.Title;
            }
            elsa["metadata"] = metadata;
            activities.Add(elsa);
        }
        var types = definition.Activities.ToDictionary(a => a.Id, a => ElsaTypeOf(a));
        var connections = new JsonArray([.. definition.Connections.Select(c => (JsonNode)new JsonObject
        {
            ["source"] = new JsonObject { ["activity"] = c.From, ["port"] = types[c.From].StartsWith(ElsaMapping.CustomPrefix, StringComparison.Ordinal) ? c.Outcome : ElsaMapping.Port(definition.Activity(c.From)!.Type, c.Outcome) },
            ["target"] = new JsonObject { ["activity"] = c.To, ["port"] = "In" },
        })]);
        var workflow = new JsonObject
        {
            ["id"] = definition.Id,
            ["definitionId"] = definition.Id,
            ["name"] = definition.Name,
            ["description"] = definition.Description,
            ["version"] = definition.Version,
            ["isPublished"] = true,
            ["variables"] = new JsonArray([.. definition.Variables.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Key, ["name"] = v.Key, ["typeName"] = "Object", ["value"] = v.Value.GetRawText(),
            })]),
            ["customProperties"] = new JsonObject
            {
                ["virtualBranch"] = new JsonObject
                {
                    ["inputs"] = JsonNode.Parse(definition.Inputs.GetRawText()),
                    ["policies"] = definition.Policies.ValueKind == JsonValueKind.Object ? JsonNode.Parse(definition.Policies.GetRawText()) : null,
                    ["contentHash"] = definition.ContentHash,
                },
            },
            ["root"] = new JsonObject { ["type"] = "Elsa.Flowchart", ["id"] = "flowchart", ["version"] = 1, ["activities"] = activities, ["connections"] = connections },
        };
        return workflow.ToJsonString(Indented);
    }

    private static string ElsaTypeOf(ActivityNode node) => Activity(node)["type"]!.GetValue<string>();

    private static JsonObject Activity(ActivityNode node)
    {
        string? Text(string name) => node.Text(name);
        switch (node.Type)
        {
            case "start":
                return new JsonObject { ["type"] = "Elsa.Start" };
            case "end" when !node.Inputs.EnumerateObject().Any():
                return new JsonObject { ["type"] = "Elsa.End" };
            case "note" when node.Inputs.EnumerateObject().Count() == 1:
                return new JsonObject { ["type"] = "Elsa.WriteLine", ["text"] = Literal("String", Text("message")!) };
            case "set-variable":
                return new JsonObject { ["type"] = "Elsa.SetVariable", ["variable"] = new JsonObject { ["id"] = Text("variable"), ["name"] = Text("variable") }, ["value"] = Script("Object", Text("value")!) };
            case "decision":
                return new JsonObject { ["type"] = "Elsa.FlowDecision", ["condition"] = Script("Boolean", Text("condition")!) };
            case "switch":
                return new JsonObject
                {
                    ["type"] = "Elsa.FlowSwitch",
                    ["cases"] = new JsonArray([.. node.Input("cases")!.Value.EnumerateArray().Select(c => (JsonNode)new JsonObject
                    {
                        ["label"] = c.GetProperty("outcome").GetString(),
                        ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = c.GetProperty("condition").GetString() },
                    })]),
                };
            case "fork":
                return new JsonObject { ["type"] = "Elsa.FlowFork", ["branches"] = Literal("String[]", node.Input("branches")!.Value.GetRawText()) };
            case "join":
                return new JsonObject { ["type"] = "Elsa.FlowJoin", ["mode"] = Literal("FlowJoinMode", Text("mode") == "any" ? "WaitAny" : "WaitAll") };
            case "timer":
                var duration = Text("duration")!;
                return new JsonObject
                {
                    ["type"] = "Elsa.Delay",
                    ["timeSpan"] = IsoDuration.TryParse(duration, out var span)
                        ? Literal("TimeSpan", span.ToString("c", CultureInfo.InvariantCulture))
                        : Script("TimeSpan", duration),
                };
            case "wait-for-signal":
                var wait = new JsonObject { ["type"] = "Elsa.Event", ["eventName"] = Literal("String", Text("signal")!) };
                foreach (var extra in node.Inputs.EnumerateObject().Where(p => p.Name != "signal"))
                {
                    wait[extra.Name] = Custom(extra.Value);
                }
                return wait;
            default:
                var custom = new JsonObject { ["type"] = ElsaMapping.CustomPrefix + node.Type };
                foreach (var input in node.Inputs.EnumerateObject())
                {
                    custom[input.Name] = Custom(input.Value);
                }
                return custom;
        }
    }

    private static JsonObject Literal(string typeName, string value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    private static JsonObject Script(string typeName, string value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = value } };

    private static JsonObject Custom(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? Literal("String", value.GetString()!)
        : new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = value.GetRawText() } };
}
