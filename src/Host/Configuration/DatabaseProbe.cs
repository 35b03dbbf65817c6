using Npgsql;

namespace VirtualBranch.Host.Configuration;

/// <summary>The database named by the configuration could not be reached.</summary>
public sealed class DatabaseUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Fails fast, before any schema work, when PostgreSQL is not there.</summary>
public static class DatabaseProbe
{
    public static async Task EnsureReachableAsync(string connectionString, CancellationToken cancellation = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync(cancellation);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new DatabaseUnreachableException(
                $"cannot reach PostgreSQL at {target.Host}:{target.Port} database '{target.Database}' ({EngineOptions.ConnectionStringKey}): {reason}", ex);
        }
    }
}
