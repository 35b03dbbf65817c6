using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Host.Jobs;

/// <summary>Hangfire on PostgreSQL: deadlines, reminders and nightly sweeps, with its dashboard at /hangfire.</summary>
public static class JobsSetup
{
    public const string DashboardPath = "/hangfire";

    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        // The storage is this host's own singleton, not Hangfire's process-wide JobStorage.Current, so two hosts in
        // one process (the integration tests) never schedule into each other's database.
        var storageOptions = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) };
        builder.Services.AddSingleton<JobStorage>(new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(options.ConnectionString, storageOptions), storageOptions));
        builder.Services.AddHangfire(config => config.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());
        builder.Services.AddHangfireServer((provider, server) =>
        {
            // This host's own container: Hangfire's global activator would point at whichever host configured first.
            server.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            server.WorkerCount = 2;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            server.ServerName = $"virtualbranch-{Environment.MachineName}-{Environment.ProcessId}";
        });
        builder.Services.AddHostedService<RecurringJobs>();
    }

    public static void MapJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new SupervisorOnly()],
            DashboardTitle = "VirtualBranch jobs",
        }, app.Services.GetRequiredService<JobStorage>());

    /// <summary>Only a signed-in supervisor sees or touches the jobs.</summary>
    private sealed class SupervisorOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Supervisor);
    }
}
