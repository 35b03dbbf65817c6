using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Activities.Control;

namespace VirtualBranch.Engine.Definitions;

/// <summary>Checks of the flowchart as a whole: start, connections, reachability; and loops that never wait, as warnings.</summary>
internal sealed class FlowGraph(IReadOnlyList<PlacedActivity> nodes, IReadOnlyList<PlacedConnection> connections, ActivityRegistry activities)
{
    private readonly Dictionary<string, PlacedActivity> _byId = nodes.ToDictionary(n => n.Node.Id, StringComparer.Ordinal);

    public IEnumerable<DefinitionProblem> Problems()
    {
        var starts = nodes.Where(n => n.Node.Type == Start.TypeName).ToList();
        if (starts.Count == 0)
        {
            yield return new("$.activities", ProblemCodes.NoStart, "The flow has no activity of type 'start'; add one where the case begins.");
        }
        foreach (var extra in starts.Skip(1))
        {
            yield return new($"{extra.Path}.type", ProblemCodes.MultipleStarts, $"Activity '{extra.Node.Id}' is a second start; a flow has exactly one.");
        }
        var valid = new List<Connection>();
        var seen = new HashSet<Connection>();
        foreach (var (connection, path) in connections)
        {
            var broken = false;
            foreach (var (end, id) in new[] { ("from", connection.From), ("to", connection.To) })
            {
                if (!_byId.ContainsKey(id))
                {
                    broken = true;
                    yield return new($"{path}.{end}", ProblemCodes.DanglingConnection, $"The connection's '{end}' names '{id}', which is not an activity of this flow.");
                }
            }
            if (broken)
            {
                continue;
            }
            var from = _byId[connection.From].Node;
            if (activities.Find(from.Type) is { } activity && !activity.OutcomesOf(from).Contains(connection.Outcome))
            {
                var outcomes = activity.OutcomesOf(from);
                yield return new($"{path}.outcome", ProblemCodes.UnknownOutcome, outcomes.Count == 0
                    ? $"Activity '{from.Id}' ({from.Type}) has no outcomes; nothing can follow it."
                    : $"Activity '{from.Id}' ({from.Type}) has no outcome '{connection.Outcome}'. Its outcomes: {string.Join(", ", outcomes)}.");
                continue;
            }
            if (!seen.Add(connection))
            {
                yield return new(path, ProblemCodes.DuplicateConnection, $"The connection {connection.From} --{connection.Outcome}--> {connection.To} is listed twice.");
                continue;
            }
            valid.Add(connection);
        }
        if (starts.Count == 1)
        {
            var reached = Reachable(starts[0].Node.Id, valid);
            foreach (var unreachable in nodes.Where(n => !reached.Contains(n.Node.Id)))
            {
                yield return new(unreachable.Path, ProblemCodes.UnreachableActivity, $"Activity '{unreachable.Node.Id}' cannot be reached from the start.");
            }
        }
    }

    /// <summary>
    /// Loops that never wait: Elsa runs them (a counter through a decision), so they are allowed; the case may pass at most
    /// <see cref="StepLimits"/> steps in one command, and the analyst is told.
    /// </summary>
    public IEnumerable<DefinitionProblem> Warnings(long maxSteps)
    {
        var valid = connections.Select(c => c.Connection)
            .Where(c => _byId.ContainsKey(c.From) && _byId.ContainsKey(c.To)).Distinct().ToList();
        foreach (var cycle in StronglyConnected(valid).Where(c => c.Count > 1 || valid.Any(v => v.From == c[0] && v.To == c[0])))
        {
            if (!cycle.Any(Waits))
            {
                var first = _byId[cycle.Order(StringComparer.Ordinal).First()];
                yield return new(first.Path, ProblemCodes.LoopWithoutWait, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The activities {string.Join(" → ", cycle.Order(StringComparer.Ordinal))} form a loop with no waiting step: a case may pass at most {maxSteps:N0} steps in one command (policies.{StepLimits.Policy}), after which the step fails."));
            }
        }
    }

    private bool Waits(string id) => activities.Find(_byId[id].Node.Type)?.Descriptor.Waits ?? true;

    private static HashSet<string> Reachable(string start, List<Connection> edges)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var next in edges.Where(e => e.From == current).Select(e => e.To))
            {
                if (reached.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return reached;
    }

    // Tarjan's algorithm: each strongly connected component is a set of activities that can loop among themselves.
    private List<List<string>> StronglyConnected(List<Connection> edges)
    {
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string v)
        {
            indices[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.Where(e => e.From == v).Select(e => e.To))
            {
                if (!indices.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] == indices[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var id in _byId.Keys.Where(id => !indices.ContainsKey(id)))
        {
            Visit(id);
        }
        return components;
    }
}
