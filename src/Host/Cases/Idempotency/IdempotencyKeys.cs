using Marten;
using Npgsql;

namespace VirtualBranch.Host.Cases.Idempotency;

/// <summary>A key's first use: the request's fingerprint and the case version its command left, with the status it answered.</summary>
public sealed record FirstUse(string Fingerprint, Guid CaseId, long Version, int Status);

/// <summary>
/// Idempotency keys of case commands, in PostgreSQL so every Host sees them and they survive a restart. A key is bound
/// to its caller and expires 24 hours after its first use. The row is written in the transaction that appends the
/// command's events, so a command and its key commit together or not at all; the answer is rebuilt from the stream at
/// the recorded version (the events are the truth), not kept as a copy.
/// </summary>
public sealed class IdempotencyKeys(NpgsqlDataSource database) : IHostedService
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 200;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private const string Ddl = """
        create schema if not exists vb;
        create table if not exists vb.vb_idempotency_keys (
            caller text not null, key text not null, fingerprint text not null, case_id uuid not null, version bigint not null,
            status int not null, first_used_at timestamptz not null default now(), primary key (caller, key));
        """;

    /// <summary>The recurring job that removes expired keys while the Hosts run (hourly; see <c>RecurringJobs</c>).</summary>
    public const string SweepJobId = "idempotency-key-sweep";

    /// <summary>Creates the table and removes keys past their lifetime.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Ddl);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await SweepAsync(cancellationToken);
    }

    /// <summary>
    /// Removes the keys past their lifetime (they are never honoured, and a reused key replaces its expired row), so the
    /// table holds about a day of commands however long the Hosts run. Returns how many were removed.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("delete from vb.vb_idempotency_keys where first_used_at <= now() - $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Lifetime });
        return await command.ExecuteNonQueryAsync(cancellation);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The key's first use by this caller, unless it never was or has expired.</summary>
    public async Task<FirstUse?> FindAsync(string caller, string key, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            "select fingerprint, case_id, version, status from vb.vb_idempotency_keys where caller = $1 and key = $2 and first_used_at > now() - $3");
        command.Parameters.Add(new NpgsqlParameter { Value = caller });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = Lifetime });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? new FirstUse(reader.GetString(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetInt32(3)) : null;
    }

    /// <summary>
    /// Queues, in the session that appends the command's events, the key's claim (a plain insert: a concurrent first use
    /// of the same key makes one of the two transactions fail as a duplicate) or, for the request's later appends, its new version.
    /// </summary>
    public static void Record(IDocumentSession session, IdempotencyClaim claim, Guid caseId, long version)
    {
        if (claim.Claimed)
        {
            session.QueueSqlCommand("update vb.vb_idempotency_keys set version = ? where caller = ? and key = ?", version, claim.Caller, claim.Key);
            return;
        }
        // An expired use of the key gives way to the new one.
        session.QueueSqlCommand("delete from vb.vb_idempotency_keys where caller = ? and key = ? and first_used_at <= now() - interval '24 hours'", claim.Caller, claim.Key);
        session.QueueSqlCommand("insert into vb.vb_idempotency_keys (caller, key, fingerprint, case_id, version, status) values (?, ?, ?, ?, ?, ?)",
            claim.Caller, claim.Key, claim.Fingerprint, caseId, version, claim.SuccessStatus);
    }

    /// <summary>Whether a write failed because another request claimed the same key first.</summary>
    public static bool IsClaimedByAnother(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "vb_idempotency_keys" }
        || (ex.InnerException is { } inner && IsClaimedByAnother(inner));
}
