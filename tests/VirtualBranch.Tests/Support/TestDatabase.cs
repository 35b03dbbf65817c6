using Npgsql;

namespace VirtualBranch.Tests.Support;

/// <summary>A fresh PostgreSQL database for one test class, dropped when the class is done.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString, string adminConnectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
    }

    private readonly string _adminConnectionString;

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The server test.sh prepared (ConnectionStrings__Engine); the tests never start one themselves.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Engine")
        ?? throw new InvalidOperationException("ConnectionStrings__Engine is not set: run the tests with ./test.sh, which starts the project's PostgreSQL.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        var name = $"vb_test_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, MaxPoolSize = 20 };
        return new TestDatabase(name, target.ConnectionString, server.ConnectionString);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    // An autovacuum worker on the database cannot be terminated by our role; try again, and leave the database
    // behind rather than fail a test over clean-up (its name says it is a test's).
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_adminConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is "42501" or "55006" or "57P01")
            {
                await Task.Delay(200 * attempt);
            }
        }
    }
}
