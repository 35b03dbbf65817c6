using Npgsql;

namespace VirtualBranch.Engine.Persistence;

/// <summary>
/// Tables a component creates on its first use (idempotent DDL in one transaction; the DDL takes its own advisory lock so
/// Hosts starting together wait for each other). On first use rather than at start-up: the command-line verbs and the
/// contract tests use these components without the Host's hosted services. A failed attempt is tried again next time.
/// </summary>
public sealed class TablesOnce(NpgsqlDataSource database, string ddl)
{
    private Lazy<Task> _run = new(() => RunAsync(database, ddl));

    public async Task EnsureAsync(CancellationToken cancellation)
    {
        var run = _run;
        try
        {
            await run.Value.WaitAsync(cancellation);
        }
        catch (Exception) when (!run.Value.IsCompletedSuccessfully && run.Value.IsCompleted)
        {
            Interlocked.CompareExchange(ref _run, new Lazy<Task>(() => RunAsync(database, ddl)), run);
            throw;
        }
    }

    /// <summary>A command on the tables, made sure of first, with its positional parameters (<c>$1</c>, <c>$2</c>, …).</summary>
    public async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellation, params object[] values)
    {
        await EnsureAsync(cancellation);
        var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    private static async Task RunAsync(NpgsqlDataSource database, string ddl)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(ddl, connection, transaction);
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
