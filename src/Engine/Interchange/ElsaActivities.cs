using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Interchange;

/// <summary>One Elsa activity as ours: its type and inputs, or why it has no counterpart; and the issues of its inputs.</summary>
internal sealed record ElsaConversion(string? Type, JsonObject Inputs, string? Failure, IReadOnlyList<(string Path, string Reason)> Issues);

/// <summary>Converts Elsa activities one by one, as the README's mapping table says.</summary>
internal static class ElsaActivities
{
    private static readonly HashSet<string> Envelope = ["id", "nodeId", "type", "version", "metadata", "name", "customProperties", "canStartWorkflow", "runAsynchronously"];

    public static ElsaConversion Convert(ElsaNode node, ElsaScope scope)
    {
        var elsa = node.Activity;
        var read = new ElsaInputs(elsa, node.Path, scope);
        var inputs = new JsonObject();
        string? failure = null;
        void Put(string name, JsonNode? value)
        {
            if (value is not null)
            {
                inputs[name] = value;
            }
        }
        if (node.Type.StartsWith(ElsaMapping.CustomPrefix, StringComparison.Ordinal))
        {
            foreach (var (name, _) in elsa.Where(p => !Envelope.Contains(p.Key)).ToList())
            {
                Put(name, read.Custom(name));
            }
            return new ElsaConversion(node.Type[ElsaMapping.CustomPrefix.Length..], inputs, null, read.Issues);
        }
        if (ElsaGraph.HoldsActivities(elsa))
        {
            return new ElsaConversion(null, inputs, $"{node.Type} holds activities of its own; only the root may be a container (Flowchart or Sequence)", read.Issues);
        }
        if (!ElsaMapping.Types.TryGetValue(node.Type, out var ours))
        {
            return new ElsaConversion(null, inputs, ElsaMapping.Unsupported.GetValueOrDefault(node.Type, $"the activity type {node.Type} has no counterpart"), read.Issues);
        }
        switch (node.Type)
        {
            case "Elsa.Fault":
                Put("result", "failed");
                Put("reason", read.Text("message") ?? "Faulted.");
                break;
            case "Elsa.Complete":
                Put("outcomes", read.Value("outcomes", "String[]") switch
                {
                    JsonArray { Count: > 0 } list => new JsonArray([.. list.Select(o => (JsonNode?)(ElsaJson.Text(o) ?? o?.ToJsonString()))]),
                    JsonValue single when ElsaJson.Text(single) is { Length: > 0 } one => new JsonArray(one),
                    _ => null,
                });
                break;
            case "Elsa.WriteLine":
                Put("message", read.Text("text") ?? "");
                break;
            case "Elsa.SetVariable":
                var variable = scope.VariableName(elsa["variable"]);
                if (variable is null)
                {
                    failure = "SetVariable names no variable";
                    break;
                }
                Put("variable", variable);
                Put("value", read.Script("value", scope.VariableType(variable)) ?? "null");
                break;
            case "Elsa.SetOutput":
                var output = read.Value("outputName", "String");
                if (ElsaJson.Text(output) is not { Length: > 0 } outputName)
                {
                    failure = "SetOutput names no output (a Literal outputName)";
                    break;
                }
                Put("name", outputName);
                Put("value", read.Script("outputValue") ?? "null");
                break;
            case "Elsa.FlowDecision":
                // Elsa's default condition is the Literal false.
                Put("condition", read.Script("condition", "Boolean") ?? "false");
                break;
            case "Elsa.FlowSwitch":
                var cases = new JsonArray();
                var index = 0;
                foreach (var item in (elsa["cases"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var at = $"{node.Path}.cases[{index++}].condition";
                    cases.Add(new JsonObject { ["outcome"] = ElsaJson.Text(item["label"]) ?? "case", ["condition"] = read.ScriptOf(item["condition"], at, "Boolean") ?? "false" });
                }
                Put("cases", cases);
                break;
            case "Elsa.FlowFork":
                var branches = read.Value("branches", "String[]");
                Put("branches", branches is JsonArray list2 ? new JsonArray([.. list2.Select(b => (JsonNode?)(ElsaJson.Text(b) ?? b?.ToJsonString()))]) : new JsonArray());
                break;
            case "Elsa.FlowJoin":
                // Elsa's default mode is WaitAny.
                Put("mode", ElsaJson.Text(read.Value("mode", "String")) is { } mode && mode.Contains("All", StringComparison.OrdinalIgnoreCase) ? "all" : "any");
                break;
            case "Elsa.Delay" or "Elsa.Timer":
                var spanName = node.Type == "Elsa.Delay" ? "timeSpan" : "interval";
                var literal = ElsaJson.Text(elsa[spanName]?["expression"]?["type"]) is "Literal" or null ? ElsaJson.Text(read.Value(spanName, "String")) : null;
                var duration = literal is not null && TimeSpan.TryParse(literal, CultureInfo.InvariantCulture, out var time) ? XmlConvert.ToString(time)
                    : literal is not null && IsoDuration.TryParse(literal, out _) ? literal
                    : read.Script(spanName);
                if (duration is null)
                {
                    failure = "the delay has no time span";
                    break;
                }
                Put("duration", duration);
                break;
            case "Elsa.Event":
                if (ElsaJson.Text(read.Value("eventName", "String")) is not { } signal)
                {
                    failure = "the event has no literal name";
                    break;
                }
                Put("signal", signal);
                foreach (var extra in new[] { "payload", "deadline", "deadlineOutcome" })
                {
                    Put(extra, read.Value(extra));
                }
                break;
        }
        return new ElsaConversion(failure is null ? ours : null, inputs, failure, read.Issues);
    }
}
