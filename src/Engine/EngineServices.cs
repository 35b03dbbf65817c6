using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Engine.Schemas;

namespace VirtualBranch.Engine;

/// <summary>Registers the engine; activities and JSON Schema formats are found by scanning the given assemblies.</summary>
public static class EngineServices
{
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, params System.Reflection.Assembly[] activityAssemblies)
    {
        var assemblies = activityAssemblies.Append(typeof(EngineServices).Assembly).Distinct().ToArray();
        services.Scan(scan => scan.FromAssemblies(assemblies)
            .AddClasses(classes => classes.AssignableTo<IActivity>().Where(t => !t.IsAbstract), publicOnly: true)
            .As<IActivity>()
            .WithSingletonLifetime());
        services.Scan(scan => scan.FromAssemblies(assemblies)
            .AddClasses(classes => classes.AssignableTo<Format>().Where(t => !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null), publicOnly: true)
            .As<Format>()
            .WithSingletonLifetime());
        services.Scan(scan => scan.FromAssemblies(assemblies)
            .AddClasses(classes => classes.AssignableTo<IDefinitionRule>().Where(t => !t.IsAbstract), publicOnly: true)
            .As<IDefinitionRule>()
            .WithSingletonLifetime());
        services.AddSingleton<ActivityRegistry>();
        services.AddSingleton<IExpressionEvaluator, ExpressionEvaluator>();
        services.AddSingleton<SchemaValidator>();
        services.AddSingleton<DefinitionChecks>();
        services.AddSingleton<DefinitionParser>();
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<CaseStateCache>(_ => new CaseStateCache());
        services.AddSingleton<FlowFactory>();
        return services;
    }
}

/// <summary>Builds the pure context a decision runs against for one definition version.</summary>
public sealed class FlowFactory(ActivityRegistry activities, IExpressionEvaluator expressions, SchemaValidator schemas)
{
    public FlowContext For(WorkflowDefinition definition) => new(definition, activities, expressions, schemas);
}
