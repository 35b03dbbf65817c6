using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Interchange;

/// <summary>One Elsa activity as ours: its type and inputs, or why it has no counterpart; and the issues of its inputs.</summary>
internal sealed record ElsaConversion(string? Type, JsonObject Inputs, string? Failure, IReadOnlyList<(string Path, string Reason)> Issues);

/// <summary>
/// Converts Elsa activities one by one, as the interchange documentation's mapping table says. <see cref="Types"/> is the
/// one list of the Elsa types that have a counterpart: each with our type and how its inputs become ours (a failure when
/// they cannot).
/// </summary>
internal static class ElsaActivities
{
    private static readonly HashSet<string> Envelope = ["id", "nodeId", "type", "version", "metadata", "name", "customProperties", "canStartWorkflow", "runAsynchronously"];

    /// <summary>What a conversion works with: the Elsa node, its inputs as read, and ours as they are written.</summary>
    internal sealed class Conversion(ElsaNode node, ElsaScope scope)
    {
        public ElsaNode Node { get; } = node;

        public JsonObject Elsa => Node.Activity;

        public ElsaScope Scope { get; } = scope;

        public ElsaInputs Read { get; } = new(node.Activity, node.Path, scope);

        public JsonObject Inputs { get; } = [];

        public void Put(string name, JsonNode? value)
        {
            if (value is not null)
            {
                Inputs[name] = value;
            }
        }
    }

    /// <summary>An Elsa type with a counterpart: our type, and the conversion of its inputs (null, or why it failed).</summary>
    internal sealed record Mapped(string Ours, Func<Conversion, string?> Convert);

    private static string? NoInputs(Conversion _) => null;

    public static readonly IReadOnlyDictionary<string, Mapped> Types = new Dictionary<string, Mapped>(StringComparer.Ordinal)
    {
        ["Elsa.Start"] = new("start", NoInputs),
        ["Elsa.End"] = new("end", NoInputs),
        ["Elsa.Finish"] = new("end", NoInputs),
        ["Elsa.Fault"] = new("end", c =>
        {
            c.Put("result", "failed");
            c.Put("reason", c.Read.Text("message") ?? "Faulted.");
            return null;
        }),
        ["Elsa.Complete"] = new("end", c =>
        {
            c.Put("outcomes", c.Read.Value("outcomes", "String[]") switch
            {
                JsonArray { Count: > 0 } list => new JsonArray([.. list.Select(o => (JsonNode?)(ElsaJson.Text(o) ?? o?.ToJsonString()))]),
                JsonValue single when ElsaJson.Text(single) is { Length: > 0 } one => new JsonArray(one),
                _ => null,
            });
            return null;
        }),
        ["Elsa.WriteLine"] = new("note", c =>
        {
            c.Put("message", c.Read.Text("text") ?? "");
            return null;
        }),
        ["Elsa.SetVariable"] = new("set-variable", c =>
        {
            if (c.Scope.VariableName(c.Elsa["variable"]) is not { } variable)
            {
                return "SetVariable names no variable";
            }
            c.Put("variable", variable);
            c.Put("value", c.Read.Script("value", c.Scope.VariableType(variable)) ?? "null");
            return null;
        }),
        ["Elsa.SetOutput"] = new("set-output", c =>
        {
            if (ElsaJson.Text(c.Read.Value("outputName", "String")) is not { Length: > 0 } outputName)
            {
                return "SetOutput names no output (a Literal outputName)";
            }
            c.Put("name", outputName);
            c.Put("value", c.Read.Script("outputValue") ?? "null");
            return null;
        }),
        ["Elsa.FlowDecision"] = new("decision", c =>
        {
            c.Put("condition", c.Read.Script("condition", "Boolean") ?? "false"); // Elsa's default condition is the Literal false
            return null;
        }),
        ["Elsa.FlowSwitch"] = new("switch", c =>
        {
            var cases = new JsonArray();
            var index = 0;
            foreach (var item in (c.Elsa["cases"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var at = $"{c.Node.Path}.cases[{index++}].condition";
                cases.Add(new JsonObject { ["outcome"] = ElsaJson.Text(item["label"]) ?? "case", ["condition"] = c.Read.ScriptOf(item["condition"], at, "Boolean") ?? "false" });
            }
            c.Put("cases", cases);
            return null;
        }),
        ["Elsa.FlowFork"] = new("fork", c =>
        {
            var branches = c.Read.Value("branches", "String[]");
            c.Put("branches", branches is JsonArray list ? new JsonArray([.. list.Select(b => (JsonNode?)(ElsaJson.Text(b) ?? b?.ToJsonString()))]) : new JsonArray());
            return null;
        }),
        ["Elsa.FlowJoin"] = new("join", c =>
        {
            // Elsa's default mode is WaitAny.
            c.Put("mode", ElsaJson.Text(c.Read.Value("mode", "String")) is { } mode && mode.Contains("All", StringComparison.OrdinalIgnoreCase) ? "all" : "any");
            return null;
        }),
        ["Elsa.Delay"] = new("timer", c => Duration(c, "timeSpan")),
        ["Elsa.Timer"] = new("timer", c => Duration(c, "interval")),
        ["Elsa.Event"] = new("wait-for-signal", c =>
        {
            if (ElsaJson.Text(c.Read.Value("eventName", "String")) is not { } signal)
            {
                return "the event has no literal name";
            }
            c.Put("signal", signal);
            foreach (var extra in new[] { "payload", "deadline", "deadlineOutcome" })
            {
                c.Put(extra, c.Read.Value(extra));
            }
            return null;
        }),
    };

    private static string? Duration(Conversion c, string spanName)
    {
        var literal = ElsaJson.Text(c.Elsa[spanName]?["expression"]?["type"]) is "Literal" or null ? ElsaJson.Text(c.Read.Value(spanName, "String")) : null;
        var duration = literal is not null && TimeSpan.TryParse(literal, CultureInfo.InvariantCulture, out var time) ? XmlConvert.ToString(time)
            : literal is not null && IsoDuration.TryParse(literal, out _) ? literal
            : c.Read.Script(spanName);
        if (duration is null)
        {
            return "the delay has no time span";
        }
        c.Put("duration", duration);
        return null;
    }

    public static ElsaConversion Convert(ElsaNode node, ElsaScope scope)
    {
        var c = new Conversion(node, scope);
        if (node.Type.StartsWith(ElsaMapping.CustomPrefix, StringComparison.Ordinal))
        {
            foreach (var (name, _) in c.Elsa.Where(p => !Envelope.Contains(p.Key)).ToList())
            {
                c.Put(name, c.Read.Custom(name));
            }
            return new ElsaConversion(node.Type[ElsaMapping.CustomPrefix.Length..], c.Inputs, null, c.Read.Issues);
        }
        if (ElsaGraph.HoldsActivities(c.Elsa))
        {
            return new ElsaConversion(null, c.Inputs, $"{node.Type} holds activities of its own; only the root may be a container (Flowchart or Sequence)", c.Read.Issues);
        }
        if (!Types.TryGetValue(node.Type, out var mapped))
        {
            return new ElsaConversion(null, c.Inputs, ElsaMapping.Unsupported.GetValueOrDefault(node.Type, $"the activity type {node.Type} has no counterpart"), c.Read.Issues);
        }
        var failure = mapped.Convert(c);
        return new ElsaConversion(failure is null ? mapped.Ours : null, c.Inputs, failure, c.Read.Issues);
    }
}
