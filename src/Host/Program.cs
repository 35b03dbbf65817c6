using VirtualBranch.Host.ApiDocs;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Health;
using VirtualBranch.Host.Jobs;
using VirtualBranch.Host.Messaging;
using VirtualBranch.Host.Persistence;

return await HostLauncher.RunAsync(args, builder =>
{
    builder.AddEngineOptions();
    builder.AddObservability();
    builder.AddCaseStore();
    builder.AddMessaging();
    builder.AddJobs();
    builder.AddApiDocs();
    builder.AddHealth();
}, app =>
{
    app.MapHealth();
    app.MapApiDocs();
    app.MapJobsDashboard();
    app.MapMessaging();
});

/// <summary>The Host's entry point, visible to the integration tests.</summary>
public partial class Program;
