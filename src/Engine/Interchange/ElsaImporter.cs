using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;

namespace VirtualBranch.Engine.Interchange;

/// <summary>One Elsa activity (or connection) that could not be converted, and why.</summary>
public sealed record ElsaImportIssue(string Path, string ActivityId, string ElsaType, string Reason);

/// <summary>The converted definition (none when something did not map and <c>--partial</c> was not asked), and every issue.</summary>
public sealed record ElsaImportResult(JsonObject? Definition, IReadOnlyList<ElsaImportIssue> Issues);

/// <summary>
/// Converts an Elsa 3 workflow definition export (a Flowchart; connections as <c>source{activity,port}</c> or the
/// older flat <c>source/sourcePort</c>) into our definition format. Nothing half-converted comes out unless asked:
/// with <c>partial</c>, each activity that does not map becomes a clearly marked placeholder note.
/// </summary>
public static partial class ElsaImporter
{
    public const string PlaceholderPrefix = "PLACEHOLDER";

    public static ElsaImportResult Import(string elsaJson, bool partial)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(elsaJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            return new ElsaImportResult(null, [new ElsaImportIssue("$", "", "", $"not valid JSON: {ex.Message.Split(" Path:")[0]}")]);
        }
        var flowchart = root["root"] ?? root;
        if (flowchart["activities"] is not JsonArray elsaActivities)
        {
            return new ElsaImportResult(null, [new ElsaImportIssue("$.root", "", Text(flowchart["type"]) ?? "", "no Flowchart with activities found (export the workflow definition from Elsa Studio)")]);
        }
        var issues = new List<ElsaImportIssue>();
        var activities = new JsonArray();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var elsa in elsaActivities.OfType<JsonObject>())
        {
            var path = $"$.root.activities[{index++}]";
            var id = Text(elsa["id"]) ?? $"activity-{index}";
            var elsaType = Text(elsa["type"]) ?? "";
            var converted = Convert(elsa, elsaType, out var reason);
            if (converted is null)
            {
                issues.Add(new ElsaImportIssue(path, id, elsaType, reason!));
                if (!partial)
                {
                    continue;
                }
                converted = new JsonObject { ["type"] = "note", ["inputs"] = new JsonObject { ["message"] = $"{PlaceholderPrefix}: Elsa activity {elsaType} did not convert ({reason}). Replace this step." } };
                converted["title"] = $"{PlaceholderPrefix} {elsaType}";
            }
            var activity = new JsonObject { ["id"] = Slug(id), ["type"] = converted["type"]!.DeepClone() };
            var title = converted["title"]?.GetValue<string>() ?? Text(elsa["metadata"]?["displayText"]) ?? Text(elsa["name"]);
            if (title is not null)
            {
                activity["title"] = title;
            }
            if (converted["inputs"] is JsonObject inputs && inputs.Count > 0)
            {
                activity["inputs"] = inputs.DeepClone();
            }
            types[id] = activity["type"]!.GetValue<string>();
            activities.Add(activity);
        }
        var connections = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        index = 0;
        foreach (var connection in (flowchart["connections"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var path = $"$.root.connections[{index++}]";
            var (from, port, to) = connection["source"] is JsonObject source
                ? (Text(source["activity"]), Text(source["port"]) ?? "Done", Text(connection["target"]?["activity"]))
                : (Text(connection["source"]), Text(connection["sourcePort"]) ?? "Done", Text(connection["target"]));
            if (from is null || to is null || !types.TryGetValue(from, out var fromType) || !types.ContainsKey(to))
            {
                if (partial || from is null || to is null)
                {
                    issues.Add(new ElsaImportIssue(path, from ?? "", "", $"the connection {from} → {to} joins an activity that was not converted; it is left out"));
                }
                continue;
            }
            var outcome = fromType == "note" && IsPlaceholder(activities, from) ? "done" : ElsaMapping.Outcome(fromType, port);
            if (seen.Add($"{from}|{outcome}|{to}"))
            {
                connections.Add(new JsonObject { ["from"] = Slug(from), ["outcome"] = outcome, ["to"] = Slug(to) });
            }
        }
        if (issues.Count > 0 && !partial)
        {
            return new ElsaImportResult(null, issues);
        }
        var custom = root["customProperties"]?["virtualBranch"];
        var definition = new JsonObject
        {
            ["$schema"] = "./schema.json",
            ["id"] = Slug(Text(root["definitionId"]) ?? Text(root["id"]) ?? Text(root["name"]) ?? "imported"),
            ["version"] = root["version"] is JsonValue v && v.TryGetValue<int>(out var version) && version > 0 ? version : 1,
            ["name"] = Text(root["name"]) ?? "Imported from Elsa",
            ["description"] = Text(root["description"]) ?? "Imported from an Elsa 3 workflow definition.",
            ["inputs"] = custom?["inputs"]?.DeepClone() ?? new JsonObject { ["type"] = "object" },
            ["variables"] = Variables(root["variables"]),
            ["activities"] = activities,
            ["connections"] = connections,
        };
        if (definition["variables"] is JsonObject { Count: 0 })
        {
            definition.Remove("variables");
        }
        if (custom?["policies"] is JsonObject policies)
        {
            definition["policies"] = policies.DeepClone();
        }
        return new ElsaImportResult(definition, issues);
    }

    private static JsonObject? Convert(JsonObject elsa, string type, out string? reason)
    {
        reason = null;
        if (type.StartsWith(ElsaMapping.CustomPrefix, StringComparison.Ordinal))
        {
            var inputs = new JsonObject();
            foreach (var (name, value) in elsa.Where(p => p.Key is not ("id" or "type" or "version" or "metadata" or "name" or "customProperties")))
            {
                if (Input(value) is { } input)
                {
                    inputs[name] = input;
                }
            }
            return new JsonObject { ["type"] = type[ElsaMapping.CustomPrefix.Length..], ["inputs"] = inputs };
        }
        if (!ElsaMapping.Types.TryGetValue(type, out var ours))
        {
            reason = ElsaMapping.Unsupported.GetValueOrDefault(type, $"the activity type {type} has no counterpart");
            return null;
        }
        JsonObject With(params (string Name, JsonNode? Value)[] inputs)
        {
            var obj = new JsonObject();
            foreach (var (name, value) in inputs.Where(i => i.Value is not null))
            {
                obj[name] = value;
            }
            return new JsonObject { ["type"] = ours, ["inputs"] = obj };
        }
        switch (type)
        {
            case "Elsa.Fault":
                return With(("result", "failed"), ("reason", Literal(elsa["message"]) ?? "Faulted."));
            case "Elsa.End" or "Elsa.Complete" or "Elsa.Finish" or "Elsa.Start":
                return With();
            case "Elsa.WriteLine":
                return With(("message", Literal(elsa["text"]) ?? Script(elsa["text"]) ?? ""));
            case "Elsa.SetVariable":
                var variable = Text(elsa["variable"]?["name"]) ?? Text(elsa["variable"]?["id"]) ?? Text(elsa["variable"]);
                return variable is null ? Fail("SetVariable names no variable", out reason) : With(("variable", variable), ("value", Script(elsa["value"]) ?? "null"));
            case "Elsa.FlowDecision":
                return With(("condition", Script(elsa["condition"]) ?? "false"));
            case "Elsa.FlowSwitch":
                var cases = new JsonArray();
                foreach (var item in (elsa["cases"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    cases.Add(new JsonObject { ["outcome"] = Text(item["label"]) ?? "case", ["condition"] = Script(item["condition"]) ?? "false" });
                }
                return With(("cases", cases));
            case "Elsa.FlowFork":
                var branches = Literal(elsa["branches"]) ?? "";
                var list = branches.TrimStart().StartsWith('[')
                    ? JsonNode.Parse(branches)!.AsArray().Select(b => (JsonNode?)b!.GetValue<string>()).ToArray()
                    : branches.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(b => (JsonNode?)b).ToArray();
                return With(("branches", new JsonArray(list)));
            case "Elsa.FlowJoin":
                return With(("mode", (Literal(elsa["mode"]) ?? "WaitAll").Contains("Any", StringComparison.OrdinalIgnoreCase) ? "any" : "all"));
            case "Elsa.Delay" or "Elsa.Timer":
                var span = elsa["timeSpan"] ?? elsa["interval"];
                var duration = Literal(span) is { } text && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var time) ? XmlConvert.ToString(time) : Script(span);
                return duration is null ? Fail("the delay has no time span", out reason) : With(("duration", duration));
            case "Elsa.Event":
                var name = Literal(elsa["eventName"]);
                return name is null ? Fail("the event has no literal name", out reason)
                    : With(("signal", name), ("payload", Input(elsa["payload"])), ("deadline", Input(elsa["deadline"])), ("deadlineOutcome", Input(elsa["deadlineOutcome"])));
            default:
                return With();
        }
    }

    private static JsonObject? Fail(string why, out string? reason)
    {
        reason = why;
        return null;
    }

    /// <summary>The literal text of an Elsa input (<c>{ expression: { type: "Literal", value } }</c>, or a bare string).</summary>
    private static string? Literal(JsonNode? input) => input switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject obj when Text(obj["expression"]?["type"]) is "Literal" or null => Text(obj["expression"]?["value"]) ?? Text(obj["value"]),
        _ => null,
    };

    /// <summary>An Elsa input as one of our expressions: JavaScript converted, literals quoted.</summary>
    private static string? Script(JsonNode? input)
    {
        // Inputs wrap the expression ({ typeName, expression: { type, value } }); switch cases carry it bare ({ type, value }).
        var expression = input?["expression"] as JsonObject ?? (input is JsonObject bare && bare["type"] is not null && bare["value"] is not null ? bare : null);
        if (expression is not null && Text(expression["type"]) == "JavaScript")
        {
            return ElsaMapping.Expression(Text(expression["value"]) ?? "");
        }
        if (expression is not null && Text(expression["type"]) == "Literal")
        {
            input = expression["value"];
        }
        var literal = Literal(input);
        if (literal is null)
        {
            return null;
        }
        return literal is "true" or "false" or "null" || double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? literal
            : JsonSerializer.Serialize(literal);
    }

    /// <summary>An input of a custom activity: Object/Json expressions are JSON, literals are text (or a number or flag when typed so).</summary>
    private static JsonNode? Input(JsonNode? input)
    {
        if (input is not JsonObject obj)
        {
            return input?.DeepClone();
        }
        var kind = Text(obj["expression"]?["type"]);
        var value = Text(obj["expression"]?["value"]);
        if (value is null)
        {
            return null;
        }
        if (kind is "Object" or "Json")
        {
            return JsonNode.Parse(value);
        }
        return Text(obj["typeName"]) switch
        {
            "Int32" or "Int64" or "Double" or "Decimal" or "Boolean" => JsonNode.Parse(value),
            _ => JsonValue.Create(value),
        };
    }

    private static JsonObject Variables(JsonNode? variables)
    {
        var result = new JsonObject();
        foreach (var variable in (variables as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(variable["name"]);
            if (name is null)
            {
                continue;
            }
            var value = variable["value"];
            result[name] = value is JsonValue v && v.TryGetValue<string>(out var text)
                ? (TryJson(text) ?? JsonValue.Create(text))
                : value?.DeepClone();
        }
        return result;
    }

    private static JsonNode? TryJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsPlaceholder(JsonArray activities, string id) =>
        activities.OfType<JsonObject>().Any(a => Text(a["id"]) == Slug(id) && (Text(a["title"]) ?? "").StartsWith(PlaceholderPrefix, StringComparison.Ordinal));

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Our ids are lower-case letters, digits and dashes: <c>WriteLine1</c> becomes <c>write-line1</c>.</summary>
    public static string Slug(string id)
    {
        var dashed = CamelBoundary().Replace(id, "$1-$2").ToLowerInvariant();
        var slug = NotAllowed().Replace(dashed, "-").Trim('-');
        return slug.Length == 0 ? "activity" : slug.Length > 64 ? slug[..64] : slug;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelBoundary();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotAllowed();
}
