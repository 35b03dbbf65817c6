using System.Collections.Concurrent;

namespace VirtualBranch.Engine.Definitions;

/// <summary>Every known definition version in memory; cases look up the exact version they pinned.</summary>
public sealed class DefinitionCatalog
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byKey = new(StringComparer.Ordinal);

    public void Add(WorkflowDefinition definition) => _byKey[definition.Key] = definition;

    public WorkflowDefinition? Find(string id, int version) => _byKey.GetValueOrDefault($"{id}@{version}");

    public WorkflowDefinition? Latest(string id) =>
        _byKey.Values.Where(d => d.Id == id).MaxBy(d => d.Version);

    public IReadOnlyList<WorkflowDefinition> Versions(string id) =>
        [.. _byKey.Values.Where(d => d.Id == id).OrderBy(d => d.Version)];

    /// <summary>The latest version of each definition.</summary>
    public IReadOnlyList<WorkflowDefinition> LatestOfEach() =>
        [.. _byKey.Values.GroupBy(d => d.Id).Select(g => g.MaxBy(d => d.Version)!).OrderBy(d => d.Id, StringComparer.Ordinal)];
}
