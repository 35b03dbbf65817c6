using System.Reflection;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>Finds the domain event types an activity library declares, so the store knows them before the first append.</summary>
public static class CaseEventScan
{
    public static IEnumerable<Type> DomainEventTypes(params Assembly[] assemblies) =>
        assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ICaseEvent).IsAssignableFrom(t));
}
