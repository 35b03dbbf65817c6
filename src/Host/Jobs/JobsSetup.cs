using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Jobs;

/// <summary>Hangfire on PostgreSQL: deadlines, reminders and nightly sweeps, with its dashboard at /hangfire.</summary>
public static class JobsSetup
{
    public const string DashboardPath = "/hangfire";

    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        builder.Services.AddHangfire(config => config
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                storage => storage.UseNpgsqlConnection(options.ConnectionString),
                new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) }));
        builder.Services.AddHangfireServer(server =>
        {
            server.WorkerCount = 2;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            server.ServerName = $"virtualbranch-{Environment.MachineName}-{Environment.ProcessId}";
        });
    }

    public static void MapJobsDashboard(this WebApplication app) =>
        app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new SupervisorOnly()],
            DashboardTitle = "VirtualBranch jobs",
        });

    /// <summary>Only a signed-in supervisor sees or touches the jobs.</summary>
    private sealed class SupervisorOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole("supervisor");
    }
}
