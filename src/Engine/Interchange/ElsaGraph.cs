using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Interchange;

/// <summary>One Elsa activity of the root, with its JSON path.</summary>
internal sealed record ElsaNode(JsonObject Activity, string Path, string Id, string Type);

/// <summary>A connection between two Elsa activities; port <see cref="ElsaGraph.AnyOutcome"/> is a Sequence's "then the next one".</summary>
internal sealed record ElsaEdge(string? From, string Port, string? To, string Path);

/// <summary>
/// The root of an Elsa workflow as a flowchart: an <c>Elsa.Flowchart</c> as it is, an <c>Elsa.Sequence</c> as a chain,
/// a single activity wrapped on its own; and the activity Elsa would start at, found as Elsa finds it.
/// </summary>
internal sealed record ElsaGraph(IReadOnlyList<ElsaNode> Nodes, IReadOnlyList<ElsaEdge> Edges, ElsaNode? Start, string StartReason)
{
    public const string AnyOutcome = "*";

    /// <summary>The activities Elsa can reach from its start; the others it never runs.</summary>
    public HashSet<string> Reachable()
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(Start is null ? [] : [Start.Id]);
        while (queue.TryDequeue(out var id))
        {
            if (reached.Add(id))
            {
                foreach (var next in Edges.Where(e => e.From == id && e.To is not null))
                {
                    queue.Enqueue(next.To!);
                }
            }
        }
        return reached;
    }

    public static (ElsaGraph? Graph, string? Error) Read(JsonObject root, string path)
    {
        var type = ElsaJson.Text(root["type"]);
        if (type == "Elsa.Flowchart" || (type is null && root["activities"] is JsonArray))
        {
            return Flowchart(root, path);
        }
        if (type == "Elsa.Sequence")
        {
            var children = ChildrenOf(root, path);
            var edges = children.Zip(children.Skip(1), (a, b) => new ElsaEdge(a.Id, AnyOutcome, b.Id, $"{path}.activities")).ToList();
            return (new ElsaGraph(children, edges, children.FirstOrDefault(), "it is the first activity of the Sequence, whose order becomes a chain of connections"), null);
        }
        if (type is null)
        {
            return (null, $"{path} is not an activity (it has no type); export the workflow definition from Elsa Studio");
        }
        if (HoldsActivities(root))
        {
            return (null, $"the root is {type}, a container whose behaviour has no counterpart here; only an Elsa.Flowchart or Elsa.Sequence root, or a single activity, converts");
        }
        var single = new ElsaNode(root, path, ElsaJson.Text(root["id"]) ?? "root", type);
        return (new ElsaGraph([single], [], single, $"the root is the single activity {type}, which becomes the whole flow"), null);
    }

    private static (ElsaGraph?, string?) Flowchart(JsonObject root, string path)
    {
        var nodes = ChildrenOf(root, path);
        var edges = new List<ElsaEdge>();
        var index = 0;
        foreach (var connection in (root["connections"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var at = $"{path}.connections[{index++}]";
            edges.Add(connection["source"] is JsonObject source
                ? new ElsaEdge(ElsaJson.Text(source["activity"]), ElsaJson.Text(source["port"]) ?? "Done", ElsaJson.Text(connection["target"]?["activity"]), at)
                : new ElsaEdge(ElsaJson.Text(connection["source"]), ElsaJson.Text(connection["sourcePort"]) ?? "Done", ElsaJson.Text(connection["target"]), at));
        }
        var named = root["start"] is JsonObject startObject ? ElsaJson.Text(startObject["id"]) : ElsaJson.Text(root["start"]);
        ElsaNode? First(Func<ElsaNode, bool> test) => nodes.FirstOrDefault(test);
        var (start, reason) =
            named is not null && First(n => n.Id == named) is { } explicitStart ? (explicitStart, "the flowchart's start property names it")
            : First(n => n.Type == "Elsa.Start") is { } startActivity ? (startActivity, "it is the flowchart's Elsa.Start")
            : First(CanStartWorkflow) is { } trigger ? (trigger, "it is marked canStartWorkflow")
            : First(n => edges.All(e => e.To != n.Id)) is { } root1 ? (root1, "it is the first activity with no inbound connection")
            : (nodes.FirstOrDefault(), "every activity has an inbound connection, so Elsa starts at the first");
        return (new ElsaGraph(nodes, edges, start, reason), null);
    }

    private static List<ElsaNode> ChildrenOf(JsonObject container, string path) =>
        [.. (container["activities"] as JsonArray ?? []).Select((a, i) => (Activity: a as JsonObject, Path: $"{path}.activities[{i}]"))
            .Where(a => a.Activity is not null)
            .Select((a, i) => new ElsaNode(a.Activity!, a.Path, ElsaJson.Text(a.Activity!["id"]) ?? $"activity-{i + 1}", ElsaJson.Text(a.Activity!["type"]) ?? ""))];

    private static bool CanStartWorkflow(ElsaNode node) =>
        (node.Activity["customProperties"]?["canStartWorkflow"] ?? node.Activity["canStartWorkflow"]) is JsonValue flag && flag.TryGetValue<bool>(out var yes) && yes;

    /// <summary>Whether an activity holds other activities (a While's body, a Parallel's activities): those are containers.</summary>
    public static bool HoldsActivities(JsonObject activity) =>
        activity.Any(p => p.Value is JsonObject child && IsActivity(child)
            || p.Value is JsonArray items && items.OfType<JsonObject>().Any(IsActivity));

    private static bool IsActivity(JsonObject node) => ElsaJson.Text(node["type"]) is { } type && type.Contains('.', StringComparison.Ordinal) && node.ContainsKey("id");
}
