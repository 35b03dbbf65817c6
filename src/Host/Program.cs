using VirtualBranch.Host.ApiDocs;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Definitions;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Health;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;
using VirtualBranch.Host.Integrity.Timestamps;
using VirtualBranch.Host.Jobs;
using VirtualBranch.Host.Limits;
using VirtualBranch.Host.Media;
using VirtualBranch.Host.Media.Network;
using VirtualBranch.Host.Messaging;
using VirtualBranch.Host.Customers;
using VirtualBranch.Host.Persistence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Host.Security;
using VirtualBranch.Host.Workbench;

return await HostLauncher.RunAsync(args, builder =>
{
    builder.AddEngineOptions();
    builder.AddHttps();
    builder.AddObservability();
    builder.AddForwardedHeaders();
    builder.AddProblems();
    builder.AddRateLimits();
    builder.AddSecurity();
    builder.AddAuth();
    builder.AddIntegrity();
    builder.AddTimestamps();
    builder.AddCheckpoints();
    builder.AddCaseStore();
    builder.AddCases();
    builder.AddEvidence();
    builder.AddMedia();
    builder.AddMediaNetwork();
    builder.AddCustomers();
    builder.AddWorkbench();
    builder.AddMessaging();
    builder.AddJobs();
    builder.AddApiDocs();
    builder.AddHealth();
}, app =>
{
    app.UseSecurityHeaders();
    app.UseForwardedHeaders();
    app.UseProblems();
    app.UseJsonBodyLimit();
    app.UseIdempotencyKeys();
    app.UseWebSockets();
    app.UseDefaultFiles();
    app.UseStaticFiles();
    app.UseAuthentication();
    app.UseRateLimits();
    app.UseSameOriginWrites();
    app.UseAuthorization();
    app.MapHealth();
    app.MapApiDocs();
    app.MapJobsDashboard();
    app.MapAuthApi();
    app.MapSecurity();
    app.MapDefinitionsApi();
    app.MapCasesApi();
    app.MapEvidence();
    app.MapCheckpoints();
    app.MapTimestampApi();
    app.MapMedia();
    app.MapMediaNetwork();
    app.MapCustomers();
    app.MapWorkbench();
});

/// <summary>The Host's entry point, visible to the integration tests.</summary>
public partial class Program;
