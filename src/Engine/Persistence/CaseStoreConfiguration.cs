using Marten;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>What the engine keeps in Marten: case streams and their events, summaries and definitions.</summary>
public static class CaseStoreConfiguration
{
    public static StoreOptions AddCaseStreams(this StoreOptions options, IEnumerable<Type> domainEventTypes)
    {
        foreach (var type in CaseEventTypes.All.Concat(domainEventTypes))
        {
            options.Events.AddEventType(type);
        }
        options.Schema.For<CaseSummary>()
            .Index(s => s.Status)
            .Index(s => s.DefinitionId)
            .Index(s => s.DueAt)
            .Index(s => s.Assignee)
            .Index(s => s.Number, index => index.IsUnique = true);
        options.Schema.For<StoredDefinition>().Index(d => d.DefinitionId);
        return options;
    }
}
