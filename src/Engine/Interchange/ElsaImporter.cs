using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Interchange;

/// <summary>
/// Converts an Elsa 3 workflow definition (as Elsa 3.0 to 3.6 and Elsa Studio write it: a Flowchart with connections as
/// <c>source{activity,port}</c> or the older flat <c>source/sourcePort</c>, a Sequence, or a single activity) into our
/// definition format. The start is found as Elsa finds it. Nothing half-converted comes out unless asked: with
/// <c>partial</c>, what does not map stays as a clearly marked placeholder.
/// </summary>
public static partial class ElsaImporter
{
    public const string PlaceholderPrefix = ElsaInputs.PlaceholderPrefix;

    private static readonly string[] Optional = ["outputs", "variables"];

    public static ElsaImportResult Import(string elsaJson, bool partial)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(elsaJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            return ElsaImportResult.Unreadable("$", "", $"not valid JSON{where}: {ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}");
        }
        if (parsed is not JsonObject workflow)
        {
            return ElsaImportResult.Unreadable("$", "", "an Elsa workflow definition is a JSON object (export it from Elsa Studio)");
        }
        var (container, containerPath) = workflow["root"] is JsonObject root ? (root, "$.root")
            : workflow["activities"] is JsonArray || ElsaJson.Text(workflow["type"]) is not null ? (workflow, "$") : (null, "$.root");
        if (container is null)
        {
            return ElsaImportResult.Unreadable("$.root", "", "no root activity found (export the workflow definition from Elsa Studio)");
        }
        var (graph, error) = ElsaGraph.Read(container, containerPath);
        if (graph is null)
        {
            return ElsaImportResult.Unreadable(containerPath, ElsaJson.Text(container["type"]) ?? "", error!);
        }
        return Convert(workflow, container, graph, partial);
    }

    private static ElsaImportResult Convert(JsonObject workflow, JsonObject container, ElsaGraph graph, bool partial)
    {
        var scope = ElsaScope.Of(workflow, container);
        var issues = new List<ElsaImportIssue>();
        var reports = new List<ElsaActivityReport>();
        var activities = new JsonArray();
        var steps = new Dictionary<string, (string Id, string Type, JsonObject Inputs)>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        string Unique(string wanted)
        {
            var id = wanted;
            for (var n = 2; !taken.Add(id); n++)
            {
                id = $"{wanted}-{n}";
            }
            return id;
        }
        if (graph.Start is { Type: not "Elsa.Start" } first)
        {
            var startId = Unique("start");
            activities.Add(new JsonObject { ["id"] = startId, ["type"] = "start" });
            steps[""] = (startId, "start", []);
            reports.Add(new ElsaActivityReport("$", "", "", startId, "start", "added", $"Elsa starts at '{first.Id}' because {graph.StartReason}; a start step leads to it"));
        }
        var reachable = graph.Reachable();
        foreach (var node in graph.Nodes)
        {
            if (!reachable.Contains(node.Id))
            {
                reports.Add(new ElsaActivityReport(node.Path, node.Id, node.Type, null, null, "not-converted", $"Elsa never runs it: it cannot be reached from '{graph.Start?.Id}', where Elsa starts"));
                continue;
            }
            var conversion = ElsaActivities.Convert(node, scope);
            issues.AddRange(conversion.Issues.Select(i => new ElsaImportIssue(i.Path, node.Id, node.Type, i.Reason)));
            if (conversion.Failure is { } failure)
            {
                issues.Add(new ElsaImportIssue(node.Path, node.Id, node.Type, failure));
            }
            var (type, inputs, fate) = conversion.Type is { } ours
                ? (ours, conversion.Inputs, conversion.Issues.Count == 0 ? "converted" : "placeholder")
                : ("note", new JsonObject { ["message"] = $"{PlaceholderPrefix}: Elsa activity {node.Type} did not convert ({conversion.Failure}). Replace this step." }, "placeholder");
            var note = conversion.Failure ?? string.Join("; ", conversion.Issues.Select(i => $"{i.Path}: {i.Reason}"));
            if (fate == "placeholder" && !partial)
            {
                reports.Add(new ElsaActivityReport(node.Path, node.Id, node.Type, null, null, "not-converted", note));
                continue;
            }
            var id = Unique(Slug(node.Id));
            var activity = new JsonObject { ["id"] = id, ["type"] = type };
            var title = conversion.Type is null ? $"{PlaceholderPrefix} {node.Type}" : ElsaJson.Text(node.Activity["metadata"]?["displayText"]);
            if (title is not null)
            {
                activity["title"] = title;
            }
            if (inputs.Count > 0)
            {
                activity["inputs"] = inputs.DeepClone();
            }
            activities.Add(activity);
            steps[node.Id] = (id, type, inputs);
            reports.Add(new ElsaActivityReport(node.Path, node.Id, node.Type, id, type, fate, fate == "converted" ? null : note));
        }
        var edges = graph.Start is { Type: not "Elsa.Start" } begin ? [new ElsaEdge("", "Done", begin.Id, "$"), .. graph.Edges] : graph.Edges;
        var connections = Connections(edges, graph, steps, issues);
        if (issues.Count > 0 && !partial)
        {
            return new ElsaImportResult(null, issues, reports);
        }
        var definition = new JsonObject
        {
            ["$schema"] = "./schema.json",
            ["id"] = Slug(ElsaJson.Text(workflow["definitionId"]) ?? ElsaJson.Text(workflow["id"]) ?? ElsaJson.Text(workflow["name"]) ?? "imported"),
            ["version"] = workflow["version"] is JsonValue v && v.TryGetValue<int>(out var version) && version > 0 ? version : 1,
            ["name"] = ElsaJson.Text(workflow["name"]) ?? "Imported from Elsa",
            ["description"] = ElsaJson.Text(workflow["description"]) ?? "Imported from an Elsa 3 workflow definition.",
            ["inputs"] = ElsaWorkflow.Inputs(workflow),
            ["outputs"] = ElsaWorkflow.Outputs(workflow),
            ["variables"] = ElsaWorkflow.Variables(scope),
            ["activities"] = activities,
            ["connections"] = connections,
        };
        foreach (var optional in Optional.Where(name => definition[name] is null or JsonObject { Count: 0 }))
        {
            definition.Remove(optional);
        }
        if (workflow["customProperties"]?["virtualBranch"]?["policies"] is JsonObject policies)
        {
            definition["policies"] = policies.DeepClone();
        }
        return new ElsaImportResult(definition, issues, reports);
    }

    private static JsonArray Connections(IReadOnlyList<ElsaEdge> edges, ElsaGraph graph, Dictionary<string, (string Id, string Type, JsonObject Inputs)> steps, List<ElsaImportIssue> issues)
    {
        var known = graph.Nodes.Select(n => n.Id).Append("").ToHashSet(StringComparer.Ordinal);
        var connections = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            var missing = new[] { edge.From, edge.To }.FirstOrDefault(end => end is null || !known.Contains(end));
            if (missing is not null || edge.From is null || edge.To is null)
            {
                issues.Add(new ElsaImportIssue(edge.Path, edge.From ?? "", "", $"the connection {edge.From} → {edge.To} names '{missing}', which is not an activity of the flowchart"));
                continue;
            }
            if (!steps.TryGetValue(edge.From, out var from) || !steps.TryGetValue(edge.To, out var to))
            {
                continue; // an activity that did not convert is reported already, and without --partial nothing comes out
            }
            foreach (var outcome in Outcomes(from.Type, from.Inputs, edge.Port, from.Type == "note" && ElsaJson.Text(from.Inputs["message"])?.StartsWith(PlaceholderPrefix, StringComparison.Ordinal) == true))
            {
                if (seen.Add($"{from.Id}|{outcome}|{to.Id}"))
                {
                    connections.Add(new JsonObject { ["from"] = from.Id, ["outcome"] = outcome, ["to"] = to.Id });
                }
            }
        }
        return connections;
    }

    /// <summary>Our outcomes for an Elsa port; a Sequence goes on to the next activity whatever the outcome.</summary>
    private static IEnumerable<string> Outcomes(string type, JsonObject inputs, string port, bool placeholder) =>
        placeholder ? ["done"]
        : port != ElsaGraph.AnyOutcome ? [ElsaMapping.Outcome(type, port)]
        : type switch
        {
            "end" => [],
            "decision" => ["true", "false"],
            "switch" => [.. (inputs["cases"] as JsonArray ?? []).Select(c => ElsaJson.Text(c?["outcome"])).OfType<string>(), "default"],
            "fork" => [.. (inputs["branches"] as JsonArray ?? []).Select(ElsaJson.Text).OfType<string>()],
            _ => [ElsaMapping.Outcome(type, "Done")],
        };

    /// <summary>Our ids are lower-case letters, digits and dashes: <c>WriteLine1</c> becomes <c>write-line1</c>.</summary>
    public static string Slug(string id)
    {
        var dashed = CamelBoundary().Replace(id, "$1-$2").ToLowerInvariant();
        var slug = NotAllowed().Replace(dashed, "-").Trim('-');
        return slug.Length == 0 ? "activity" : slug.Length > 64 ? slug[..64].TrimEnd('-') : slug;
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelBoundary();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotAllowed();
}
