using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Workflows.Compliance;

/// <summary>
/// Walks every path of a flowchart carrying one yes/no fact (is a recording running? was identity verified?) and
/// reports the activities some path reaches with the fact false.
/// </summary>
public static class FlowPaths
{
    /// <param name="update">How passing an activity by one of its outcomes changes the fact.</param>
    public static ISet<string> ReachedWithout(WorkflowDefinition definition, Func<ActivityNode, string, bool, bool> update, Func<ActivityNode, bool> target)
    {
        var start = definition.Activities.First(a => a.Type == "start");
        var seen = new HashSet<(string, bool)>();
        var queue = new Queue<(string Id, bool Fact)>([(start.Id, false)]);
        var reachedWithout = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var item))
        {
            if (!seen.Add(item))
            {
                continue;
            }
            var node = definition.Activity(item.Id)!;
            if (!item.Fact && target(node))
            {
                reachedWithout.Add(node.Id);
            }
            foreach (var connection in definition.Connections.Where(c => c.From == node.Id))
            {
                queue.Enqueue((connection.To, update(node, connection.Outcome, item.Fact)));
            }
        }
        return reachedWithout;
    }
}
