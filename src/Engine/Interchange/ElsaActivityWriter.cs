using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Interchange;

/// <summary>One of our activities as an Elsa activity (its type and inputs), and the Elsa port of each of its outcomes.</summary>
internal static class ElsaActivityWriter
{
    public static JsonObject Write(ActivityNode node)
    {
        string? Text(string name) => node.Text(name);
        var inputNames = node.Inputs.ValueKind == JsonValueKind.Object ? node.Inputs.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
        switch (node.Type)
        {
            case "start":
                return new JsonObject { ["type"] = "Elsa.Start" };
            case "end" when inputNames.Count == 0:
                return new JsonObject { ["type"] = "Elsa.End" };
            case "end" when inputNames.SetEquals(["outcomes"]):
                return new JsonObject { ["type"] = "Elsa.Complete", ["outcomes"] = Object("Object", node.Input("outcomes")!.Value) };
            case "note" when inputNames.SetEquals(["message"]):
                return new JsonObject { ["type"] = "Elsa.WriteLine", ["text"] = Literal("String", Text("message")!) };
            case "set-variable":
                return new JsonObject
                {
                    ["type"] = "Elsa.SetVariable",
                    ["variable"] = new JsonObject { ["id"] = Text("variable"), ["name"] = Text("variable"), ["typeName"] = "Object" },
                    ["value"] = Script("Object", Text("value")!),
                };
            case "set-output":
                return new JsonObject { ["type"] = "Elsa.SetOutput", ["outputName"] = Literal("String", Text("name")!), ["outputValue"] = Script("Object", Text("value")!) };
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
                    ["mode"] = Literal("SwitchMode", "MatchFirst"),
                };
            case "fork":
                return new JsonObject { ["type"] = "Elsa.FlowFork", ["branches"] = Object("String[]", node.Input("branches")!.Value) };
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
                foreach (var input in node.Inputs.ValueKind == JsonValueKind.Object ? node.Inputs.EnumerateObject() : default)
                {
                    custom[input.Name] = Custom(input.Value);
                }
                return custom;
        }
    }

    /// <summary>The port an outcome leaves by: our own outcome names on custom activities, Elsa's on its own.</summary>
    public static string PortOf(ActivityNode node, string outcome) =>
        Write(node)["type"]!.GetValue<string>().StartsWith(ElsaMapping.CustomPrefix, StringComparison.Ordinal) ? outcome : ElsaMapping.Port(node.Type, outcome);

    private static JsonObject Literal(string typeName, string value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    private static JsonObject Script(string typeName, string value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = value } };

    private static JsonObject Object(string typeName, JsonElement value) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = value.GetRawText() } };

    private static JsonObject Custom(JsonElement value) => value.ValueKind == JsonValueKind.String ? Literal("String", value.GetString()!) : Object("Object", value);
}
