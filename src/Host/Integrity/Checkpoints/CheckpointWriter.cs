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
    private const string Candidates = """
        select s.id, s.version, e.headers ->> 'hash', h.version, h.head, h.checkpoint
        from vb.mt_streams s
        join vb.mt_doc_casesummary c on c.id = s.id
        left join vb.vb_checkpoint_heads h on h.case_id = s.id
        join vb.mt_events e on e.stream_id = s.id and e.version = s.version
        where h.version is distinct from s.version and ($1::uuid[] is null or s.id = any($1))
        """;

    /// <summary>Anchors the changed cases among <paramref name="caseIds"/>, or every changed case when it is null.</summary>
    public async Task<CheckpointRun> WriteAsync(IReadOnlyCollection<Guid>? caseIds, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await Execute(connection, "select pg_advisory_xact_lock(7162535)", cancellation);
        var (leaves, refused) = await ChangedAsync(connection, caseIds, cancellation);
        foreach (var problem in refused)
        {
            log.LogError("Checkpoint refuses to anchor {Problem}; run verify on the case", problem);
        }
        if (leaves.Count == 0)
        {
            return new CheckpointRun(null, 0, refused);
        }
        var (number, previous, now) = await NextAsync(connection, cancellation);
        leaves.Sort((a, b) => string.CompareOrdinal(a.CaseId.ToString("D"), b.CaseId.ToString("D")));
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

    private static async Task<(List<CheckpointLeaf> Leaves, List<string> Refused)> ChangedAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid>? caseIds,
        CancellationToken cancellation)
    {
        var changed = new List<(CheckpointLeaf Now, long? AnchoredVersion, string? AnchoredHead, long? At)>();
        await using (var command = new NpgsqlCommand(Candidates, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = caseIds is null ? DBNull.Value : caseIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                changed.Add((new CheckpointLeaf(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? "" : reader.GetString(2)),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
            }
        }
        var anchored = changed.Where(c => c.AnchoredVersion is not null).ToList();
        var stillThere = await HashesAtAsync(connection, [.. anchored.Select(c => (c.Now.CaseId, c.AnchoredVersion!.Value))], cancellation);
        var leaves = new List<CheckpointLeaf>();
        var refused = new List<string>();
        foreach (var (now, version, head, at) in changed)
        {
            if (version is null)
            {
                leaves.Add(now);
            }
            else if (now.Version < version)
            {
                refused.Add($"case {now.CaseId}: stream head at version {now.Version}, checkpoint {at} signed version {version}");
            }
            else if (!stillThere.TryGetValue(now.CaseId, out var hash) || hash != head)
            {
                refused.Add($"case {now.CaseId}: the event at version {version} no longer has the hash checkpoint {at} signed");
            }
            else
            {
                leaves.Add(now);
            }
        }
        return (leaves, refused);
    }

    /// <summary>The hash each case's event at the given version has now.</summary>
    private static async Task<Dictionary<Guid, string?>> HashesAtAsync(NpgsqlConnection connection, IReadOnlyList<(Guid Case, long Version)> at,
        CancellationToken cancellation)
    {
        var hashes = new Dictionary<Guid, string?>();
        if (at.Count == 0)
        {
            return hashes;
        }
        await using var command = new NpgsqlCommand(
            "select e.stream_id, e.headers ->> 'hash' from vb.mt_events e join unnest($1::uuid[], $2::bigint[]) k(id, v) on e.stream_id = k.id and e.version = k.v",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = at.Select(a => a.Case).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = at.Select(a => a.Version).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            hashes[reader.GetGuid(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }
        return hashes;
    }

    private static async Task<(long Number, string Previous, DateTimeOffset Now)> NextAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            "select coalesce(max(number), 0) + 1, coalesce((select hash from vb.vb_checkpoints order by number desc limit 1), $1), now() from vb.vb_checkpoints",
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

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
