using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Definitions;
using VirtualBranch.Host.Workbench;

namespace VirtualBranch.Host.Health;

/// <summary>
/// <c>/health</c> says the process lives; <c>/health/ready</c> says whether this node should get traffic, and why not: PostgreSQL
/// reachable, its listening connections to the other Hosts up, and not draining for a shutdown (JSON, one entry per check).
/// </summary>
public static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static void AddHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [ReadyTag])
            .AddCheck<ListenersHealthCheck>("listeners", tags: [ReadyTag])
            .AddCheck<DrainingHealthCheck>("draining", tags: [ReadyTag]);

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteStateAsync }).WithTags("Health");
    }

    private static Task WriteStateAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });

    private sealed class PostgresHealthCheck(EngineOptions options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(options.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy("reachable");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL: {ex.Message}");
            }
        }
    }

    /// <summary>A node that is not listening misses published definitions, video-room signals and case changes from the other Hosts.</summary>
    private sealed class ListenersHealthCheck(DefinitionRelay definitions, RoomRelay rooms, CaseChanges cases) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var down = new[] { ("definitions", definitions.IsListening), ("video rooms", rooms.IsListening), ("case changes", cases.IsListening) }
                .Where(l => !l.Item2).Select(l => l.Item1).ToList();
            return Task.FromResult(down.Count == 0
                ? HealthCheckResult.Healthy("listening for definitions, video rooms and case changes")
                : HealthCheckResult.Unhealthy($"not listening for {string.Join(" and ", down)} (reconnecting)"));
        }
    }

    /// <summary>A node shutting down finishes what it has but takes nothing new: the load balancer should stop sending.</summary>
    private sealed class DrainingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("draining: the Host is shutting down")
                : HealthCheckResult.Healthy("serving"));
    }
}
