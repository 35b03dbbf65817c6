using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Diagrams;

/// <summary>A box placed on the diagram.</summary>
public sealed record PlacedBox(ActivityNode Activity, int Layer, double X, double Y, double Width, double Height)
{
    public bool Overlaps(PlacedBox other) =>
        X < other.X + other.Width && other.X < X + Width && Y < other.Y + other.Height && other.Y < Y + Height;
}

/// <summary>An arrow from one box to another, labelled with the outcome; back edges go round the side.</summary>
public sealed record PlacedEdge(Connection Connection, bool Backwards);

/// <summary>
/// A layered, top-to-bottom layout of a flowchart: each activity on the row of its longest path from the start
/// (loops broken at their back edges), rows ordered by the mean position of their predecessors.
/// </summary>
public sealed record DiagramLayout(IReadOnlyList<PlacedBox> Boxes, IReadOnlyList<PlacedEdge> Edges, double Width, double Height)
{
    public const double BoxWidth = 250;
    public const double BoxHeight = 58;
    public const double ColumnGap = 40;
    public const double RowGap = 56;
    public const double Margin = 30;

    public PlacedBox Box(string id) => Boxes.First(b => b.Activity.Id == id);

    public static DiagramLayout Of(WorkflowDefinition definition)
    {
        var start = definition.Activities.First(a => a.Type == "start").Id;
        var backEdges = BackEdges(definition, start);
        var forward = definition.Connections.Where(c => !backEdges.Contains(c)).ToList();
        var layer = LongestPathLayers(definition, forward, start);
        var rows = layer.GroupBy(l => l.Value).OrderBy(g => g.Key).Select(g => g.Select(x => x.Key).ToList()).ToList();
        var order = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                order[row[i]] = i;
            }
        }
        for (var sweep = 0; sweep < 4; sweep++)
        {
            foreach (var row in rows.Skip(1))
            {
                row.Sort((a, b) => Barycenter(a).CompareTo(Barycenter(b)));
                for (var i = 0; i < row.Count; i++)
                {
                    order[row[i]] = i;
                }
            }
        }
        double Barycenter(string id)
        {
            var preds = forward.Where(c => c.To == id).Select(c => order[c.From]).ToList();
            return preds.Count == 0 ? order[id] : preds.Average();
        }
        var widest = rows.Max(r => r.Count);
        var width = Margin * 2 + widest * BoxWidth + (widest - 1) * ColumnGap;
        var boxes = new List<PlacedBox>();
        for (var r = 0; r < rows.Count; r++)
        {
            var rowWidth = rows[r].Count * BoxWidth + (rows[r].Count - 1) * ColumnGap;
            var left = (width - rowWidth) / 2;
            for (var i = 0; i < rows[r].Count; i++)
            {
                boxes.Add(new PlacedBox(definition.Activity(rows[r][i])!, r, left + i * (BoxWidth + ColumnGap), Margin + r * (BoxHeight + RowGap), BoxWidth, BoxHeight));
            }
        }
        var height = Margin * 2 + rows.Count * BoxHeight + (rows.Count - 1) * RowGap;
        var skips = definition.Connections.Count(c => !backEdges.Contains(c) && layer[c.To] - layer[c.From] > 1);
        return new DiagramLayout(boxes, [.. definition.Connections.Select(c => new PlacedEdge(c, backEdges.Contains(c)))], width + 60 + skips * 12, height);
    }

    private static HashSet<Connection> BackEdges(WorkflowDefinition definition, string start)
    {
        var back = new HashSet<Connection>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        void Visit(string id)
        {
            state[id] = 1;
            foreach (var c in definition.Connections.Where(c => c.From == id))
            {
                switch (state.GetValueOrDefault(c.To))
                {
                    case 0:
                        Visit(c.To);
                        break;
                    case 1:
                        back.Add(c);
                        break;
                }
            }
            state[id] = 2;
        }
        Visit(start);
        foreach (var a in definition.Activities.Where(a => !state.ContainsKey(a.Id)))
        {
            Visit(a.Id);
        }
        return back;
    }

    private static Dictionary<string, int> LongestPathLayers(WorkflowDefinition definition, List<Connection> forward, string start)
    {
        var layer = definition.Activities.ToDictionary(a => a.Id, _ => 0, StringComparer.Ordinal);
        var indegree = definition.Activities.ToDictionary(a => a.Id, a => forward.Count(c => c.To == a.Id), StringComparer.Ordinal);
        var queue = new Queue<string>(definition.Activities.Where(a => indegree[a.Id] == 0).Select(a => a.Id).OrderBy(id => id == start ? 0 : 1));
        while (queue.TryDequeue(out var id))
        {
            foreach (var c in forward.Where(c => c.From == id))
            {
                layer[c.To] = Math.Max(layer[c.To], layer[id] + 1);
                if (--indegree[c.To] == 0)
                {
                    queue.Enqueue(c.To);
                }
            }
        }
        return layer;
    }
}
