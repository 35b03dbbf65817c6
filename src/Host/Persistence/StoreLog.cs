using Marten;
using Marten.Services;
using Npgsql;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Host.Persistence;

/// <summary>
/// Marten's log. A lost race on a stream version is not an error: the command path reloads and decides again, or
/// answers 409, and group commit writes each command of a failed shared transaction again on its own. So a lost race
/// is logged at Debug in one line; every other failure at Error with the SQL that failed. Statements are logged at
/// Debug when that level is on.
/// </summary>
public sealed class StoreLog(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Schema change: {Sql}", sql);

    public void LogSuccess(NpgsqlCommand command)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Executed {Sql}", command.CommandText);
        }
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Executed {Sql}", Text(batch));
        }
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex, Text(batch));

    public void LogFailure(Exception ex, string message) => Failure(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    private void Failure(Exception ex, string what)
    {
        if (CaseStreams.IsConcurrencyConflict(ex))
        {
            logger.LogDebug("Lost a race on a stream version; the command reloads the case and decides again: {Reason}", ex.Message);
        }
        else
        {
            logger.LogError(ex, "The store failed executing {Sql}", what);
        }
    }

    private static string Text(NpgsqlBatch batch) => string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText));
}
