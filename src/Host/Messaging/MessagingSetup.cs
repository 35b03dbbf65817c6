using JasperFx;
using JasperFx.CodeGeneration;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;
using Wolverine;

namespace VirtualBranch.Host.Messaging;

/// <summary>Wolverine: handlers and the Marten-backed durable inbox/outbox (the HTTP API is ASP.NET Core's own).</summary>
public static class MessagingSetup
{
    public static void AddMessaging(this WebApplicationBuilder builder)
    {
        var solo = builder.Services.BuildRequiredSingleton<EngineOptions>().SoloNode ?? builder.Environment.IsDevelopment();
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(MessagingSetup).Assembly;
#if RELEASE
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static; // handlers from src/Host/Internal/Generated, no Roslyn
#else
            opts.UseRuntimeCompilation(); // any other configuration compiles the handlers at start; `codegen` writes them for Release
#endif
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            opts.Durability.Mode = solo ? DurabilityMode.Solo : DurabilityMode.Balanced;
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
        });
    }
}
