using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Engine.Definitions;

/// <summary>What changed from one version of a definition to another.</summary>
public sealed record DefinitionDiff(
    string Id,
    int From,
    int To,
    IReadOnlyList<string> ActivitiesAdded,
    IReadOnlyList<string> ActivitiesRemoved,
    IReadOnlyList<string> ActivitiesChanged,
    IReadOnlyList<string> ConnectionsAdded,
    IReadOnlyList<string> ConnectionsRemoved,
    bool InputsChanged)
{
    public static DefinitionDiff Between(WorkflowDefinition before, WorkflowDefinition after)
    {
        var old = before.Activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var now = after.Activities.ToDictionary(a => a.Id, StringComparer.Ordinal);
        static string Shape(ActivityNode a) => $"{a.Type}|{a.Title}|{CanonicalJson.Write(a.Inputs)}";
        static string Line(Connection c) => $"{c.From} --{c.Outcome}--> {c.To}";
        var oldLines = before.Connections.Select(Line).ToHashSet(StringComparer.Ordinal);
        var newLines = after.Connections.Select(Line).ToHashSet(StringComparer.Ordinal);
        return new DefinitionDiff(after.Id, before.Version, after.Version,
            [.. now.Keys.Except(old.Keys).Order(StringComparer.Ordinal)],
            [.. old.Keys.Except(now.Keys).Order(StringComparer.Ordinal)],
            [.. now.Keys.Intersect(old.Keys).Where(id => Shape(now[id]) != Shape(old[id])).Order(StringComparer.Ordinal)],
            [.. newLines.Except(oldLines).Order(StringComparer.Ordinal)],
            [.. oldLines.Except(newLines).Order(StringComparer.Ordinal)],
            CanonicalJson.Write(before.Inputs) != CanonicalJson.Write(after.Inputs));
    }
}
