using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.Http;

namespace VirtualBranch.Host.Messaging;

/// <summary>Wolverine: handlers, the Marten-backed durable inbox/outbox and HTTP endpoints.</summary>
public static class MessagingSetup
{
    public static void AddMessaging(this WebApplicationBuilder builder)
    {
        var solo = builder.Configuration.GetValue("Engine:SoloNode", builder.Environment.IsDevelopment());
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(MessagingSetup).Assembly;
#if DEBUG
            opts.UseRuntimeCompilation(); // handlers compiled at start; `codegen` writes them for Release
#else
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static; // handlers from src/Host/Internal/Generated, no Roslyn
#endif
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            opts.Durability.Mode = solo ? DurabilityMode.Solo : DurabilityMode.Balanced;
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
        });
        builder.Services.AddWolverineHttp();
    }

    public static void MapMessaging(this WebApplication app) => app.MapWolverineEndpoints();
}
