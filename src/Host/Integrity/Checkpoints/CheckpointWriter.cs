using Npgsql;
using NpgsqlTypes;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity.Timestamps;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>What one run of the writer did.</summary>
public sealed record CheckpointRun(SignedCheckpoint? Written, int Anchored, IReadOnlyList<string> Refused);

/// <summary>
/// Writes a checkpoint over the cases whose stream changed since they were last anchored: their current heads as a
/// Merkle tree, linked to the previous checkpoint, signed with the bank's key and stamped by the timestamp authority,
/// in one transaction that also records each case's anchored head. A case whose stream no longer extends what was
/// anchored (shorter, or its anchored event rewritten) is not anchored again: it is refused and logged, and stays
/// broken for verify. Hosts take turns through an advisory lock, so numbers never fork.
/// </summary>
public sealed class CheckpointWriter(NpgsqlDataSource database, BankSigner signer, ITimestampAuthority authority, ILogger<CheckpointWriter> log)
{
    /// <summary>The advisory lock a checkpoint is written under; the tables' start-up DDL takes it too (see <see cref="CheckpointTables"/>).</summary>
    internal const long WriterLock = 7162535;

    /// <summary>Anchors the changed cases among <paramref name="caseIds"/>, or every changed case when it is null.</summary>
    public async Task<CheckpointRun> WriteAsync(IReadOnlyCollection<Guid>? caseIds, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await Execute(connection, $"select pg_advisory_xact_lock({WriterLock})", cancellation);
        var (leaves, refused) = await CheckpointCandidates.ReadAsync(connection, caseIds, cancellation);
        foreach (var problem in refused)
        {
            log.LogError("Checkpoint refuses to anchor {Problem}; run verify on the case", problem);
        }
        if (leaves.Count == 0)
        {
            return new CheckpointRun(null, 0, refused);
        }
        var (number, previous, now) = await NextAsync(connection, cancellation);
        leaves = [.. leaves.OrderBy(l => l.CaseId.ToString("D"), StringComparer.Ordinal)];
        var (root, proofs) = MerkleTree.Build([.. leaves.Select(l => l.Hash())]);
        var checkpoint = new Checkpoint(number, now, previous, leaves.Count, Convert.ToHexStringLower(root));
        var statement = checkpoint.Statement();
        byte[]? token = null;
        try
        {
            token = await authority.StampAsync(statement, cancellation);
        }
        catch (TimestampAuthorityException ex)
        {
            log.LogWarning("{Checkpoint} is written without a timestamp token: {Reason}", checkpoint, ex.Message);
        }
        var signed = new SignedCheckpoint(checkpoint, checkpoint.Hash(), signer.Sign(statement), signer.Thumbprint, token,
            caseIds is null ? SignedCheckpoint.Scheduled : SignedCheckpoint.AtSeal);
        await InsertAsync(connection, signed, leaves, proofs, cancellation);
        await transaction.CommitAsync(cancellation);
        return new CheckpointRun(signed, leaves.Count, refused);
    }

    private static async Task<(long Number, string Previous, DateTimeOffset Now)> NextAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            // The time is read now, after the lock: not the transaction's start, which may lie before a wait for another Host.
            "select coalesce(max(number), 0) + 1, coalesce((select hash from vb.vb_checkpoints order by number desc limit 1), $1), clock_timestamp() from vb.vb_checkpoints",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = HashChain.Genesis });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return (reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    private static async Task InsertAsync(NpgsqlConnection connection, SignedCheckpoint signed, List<CheckpointLeaf> leaves, byte[][] proofs,
        CancellationToken cancellation)
    {
        var c = signed.Checkpoint;
        await using (var insert = new NpgsqlCommand(
            "insert into vb.vb_checkpoints (number, created_at, previous_hash, tree_size, root, hash, signature, signer, timestamp_token, kind) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection))
        {
            foreach (var value in new object?[] { c.Number, c.CreatedAt, c.PreviousHash, c.TreeSize, c.Root, signed.Hash, signed.Signature, signed.Signer, signed.TimestampToken, signed.Kind })
            {
                insert.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea } : new NpgsqlParameter { Value = value });
            }
            await insert.ExecuteNonQueryAsync(cancellation);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy vb.vb_checkpoint_leaves (checkpoint, position, case_id, version, head, proof) from stdin (format binary)", cancellation))
        {
            for (var i = 0; i < leaves.Count; i++)
            {
                await copy.StartRowAsync(cancellation);
                await copy.WriteAsync(c.Number, NpgsqlDbType.Bigint, cancellation);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, cancellation);
                await copy.WriteAsync(leaves[i].CaseId, NpgsqlDbType.Uuid, cancellation);
                await copy.WriteAsync(leaves[i].Version, NpgsqlDbType.Bigint, cancellation);
                await copy.WriteAsync(leaves[i].Head, NpgsqlDbType.Text, cancellation);
                await copy.WriteAsync(proofs[i], NpgsqlDbType.Bytea, cancellation);
            }
            await copy.CompleteAsync(cancellation);
        }
        await Execute(connection,
            "insert into vb.vb_checkpoint_heads (case_id, version, head, checkpoint) select case_id, version, head, checkpoint from vb.vb_checkpoint_leaves " +
            $"where checkpoint = {c.Number} on conflict (case_id) do update set version = excluded.version, head = excluded.head, checkpoint = excluded.checkpoint",
            cancellation);
    }

    internal static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
