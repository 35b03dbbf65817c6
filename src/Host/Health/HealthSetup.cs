using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Health;

/// <summary><c>/health</c> says the process lives; <c>/health/ready</c> also checks PostgreSQL.</summary>
public static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static void AddHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: [ReadyTag]);

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag) }).WithTags("Health");
    }

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
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL: {ex.Message}");
            }
        }
    }
}
