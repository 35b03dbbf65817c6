using JasperFx;
using JasperFx.Events;
using Marten;
using VirtualBranch.Engine.Persistence;
using Weasel.Core;
using VirtualBranch.Host.Configuration;
using Wolverine.Marten;

namespace VirtualBranch.Host.Persistence;

/// <summary>Marten as the event store: one stream per case, metadata on, schema applied at start-up.</summary>
public static class CaseStoreSetup
{
    public const string Schema = "vb";

    public static void AddCaseStore(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        var personalData = new Privacy.PersonalDataKeys(options.ConnectionString, new Privacy.FileKeyEncryptionKey(options.DataDirectory));
        builder.Services.AddSingleton(personalData);
        builder.Services.AddSingleton<Privacy.IPersonalDataSealing>(personalData);
        builder.Services.AddSingleton<Privacy.ErasureRelay>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Privacy.ErasureRelay>());
        builder.Services.AddMarten(store => Configure(store, options.ConnectionString, Schema, personalData.Reveal))
            .UseLightweightSessions()
            .IntegrateWithWolverine()
            .ApplyAllDatabaseChangesOnStartup();
        builder.Services.ConfigureMarten((services, store) => store.Logger(new StoreLog(services.GetRequiredService<ILogger<IDocumentStore>>())));
    }

    /// <summary>The store settings of the case store (the benchmark's baselines use the same ones in a schema of their own).</summary>
    /// <param name="reveal">Opens sealed personal values on every read (<see cref="Privacy.PersonalDataKeys.Reveal"/>).</param>
    public static void Configure(StoreOptions store, string connectionString, string schema, Func<string, string>? reveal = null)
    {
        store.Connection(connectionString);
        store.DatabaseSchemaName = schema;
        store.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        store.Events.StreamIdentity = StreamIdentity.AsGuid;
        store.Events.AppendMode = EventAppendMode.Quick;
        store.Events.MetadataConfig.EnableAll();
        store.Events.MetadataConfig.UserNameEnabled = true; // not part of EnableAll in Marten 9
        store.DisableNpgsqlLogging = true;
        store.UseSystemTextJsonForSerialization(EnumStorage.AsString, configure: CaseStoreConfiguration.WriteCanonically);
        store.Schema.For<Evidence.RetentionReport>();
        store.Schema.For<Customers.CustomerLinkRecord>();
        store.Schema.For<Customers.CodeChallenge>();
        store.Events.AddEventType<Media.MediaAdapterCalled>();
        // The engine's control activities declare domain events too (a case output set).
        store.AddCaseStreams(CaseEventScan.DomainEventTypes(typeof(VirtualBranch.Workflows.WorkflowsAssembly).Assembly, typeof(Engine.Activities.Control.OutputSet).Assembly), reveal);
    }

    /// <summary>The singleton registered by an earlier <c>AddXxx</c> call, without building a provider.</summary>
    public static T BuildRequiredSingleton<T>(this IServiceCollection services) where T : class =>
        services.LastOrDefault(d => d.ServiceType == typeof(T))?.ImplementationInstance as T
        ?? throw new InvalidOperationException($"{typeof(T).Name} must be registered before it is used.");
}
