using Npgsql;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>Reads checkpoints and the leaves that anchor cases, exactly as stored.</summary>
public sealed class CheckpointReader(NpgsqlDataSource database)
{
    private const string Columns = "c.number, c.created_at, c.previous_hash, c.tree_size, c.root, c.hash, c.signature, c.signer, c.timestamp_token, c.kind";

    /// <summary>The latest leaf of each case asked for (cases no checkpoint names are absent).</summary>
    public async Task<IReadOnlyDictionary<Guid, AnchoredLeaf>> LatestLeavesAsync(IReadOnlyList<Guid> caseIds, CancellationToken cancellation)
    {
        var found = new List<(long Checkpoint, int Position, CheckpointLeaf Leaf, byte[] Proof)>();
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using (var command = new NpgsqlCommand(
            "select distinct on (case_id) case_id, checkpoint, position, version, head, proof from vb.vb_checkpoint_leaves " +
            "where case_id = any($1) order by case_id, checkpoint desc", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = caseIds.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                found.Add((reader.GetInt64(1), reader.GetInt32(2), new CheckpointLeaf(reader.GetGuid(0), reader.GetInt64(3), reader.GetString(4)),
                    reader.GetFieldValue<byte[]>(5)));
            }
        }
        // Many cases share a checkpoint: each is read once, not once per leaf.
        var checkpoints = new Dictionary<long, SignedCheckpoint>();
        await using (var command = new NpgsqlCommand($"select {Columns} from vb.vb_checkpoints c where c.number = any($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = found.Select(f => f.Checkpoint).Distinct().ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var checkpoint = Read(reader, 0);
                checkpoints[checkpoint.Checkpoint.Number] = checkpoint;
            }
        }
        // A leaf whose checkpoint row is gone is left out: the case then reads as never anchored, and the log check names the gap.
        return found.Where(f => checkpoints.ContainsKey(f.Checkpoint))
            .ToDictionary(f => f.Leaf.CaseId, f => new AnchoredLeaf(checkpoints[f.Checkpoint], f.Position, f.Leaf, f.Proof));
    }

    /// <summary>The latest checkpoint of the given kind (or of any kind), if there is one.</summary>
    public async Task<SignedCheckpoint?> LatestAsync(string? kind, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            $"select {Columns} from vb.vb_checkpoints c where $1::text is null or c.kind = $1 order by c.number desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? Read(reader, 0) : null;
    }

    /// <summary>
    /// Every checkpoint from <paramref name="fromNumber"/> on, in stored order, each with its leaves in position order:
    /// checkpoints and leaves are each read as one stream (two connections), so a log of years costs two queries, not one
    /// per checkpoint, and never sits in memory whole.
    /// </summary>
    public async IAsyncEnumerable<(SignedCheckpoint Checkpoint, IReadOnlyList<(int Position, CheckpointLeaf Leaf)> Leaves)> FromAsync(long fromNumber,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var headConnection = await database.OpenConnectionAsync(cancellation);
        await using var leafConnection = await database.OpenConnectionAsync(cancellation);
        await using var heads = new NpgsqlCommand($"select {Columns} from vb.vb_checkpoints c where c.number >= $1 order by c.number", headConnection);
        heads.Parameters.Add(new NpgsqlParameter { Value = fromNumber });
        await using var leaves = new NpgsqlCommand(
            "select checkpoint, position, case_id, version, head from vb.vb_checkpoint_leaves where checkpoint >= $1 order by checkpoint, position", leafConnection);
        leaves.Parameters.Add(new NpgsqlParameter { Value = fromNumber });
        await using var headReader = await heads.ExecuteReaderAsync(cancellation);
        await using var leafReader = await leaves.ExecuteReaderAsync(cancellation);
        var pending = await leafReader.ReadAsync(cancellation);
        while (await headReader.ReadAsync(cancellation))
        {
            var checkpoint = Read(headReader, 0);
            var number = checkpoint.Checkpoint.Number;
            var own = new List<(int, CheckpointLeaf)>();
            // Leaves of checkpoints that are no longer stored are skipped here; the log check names the missing number.
            while (pending && leafReader.GetInt64(0) < number)
            {
                pending = await leafReader.ReadAsync(cancellation);
            }
            while (pending && leafReader.GetInt64(0) == number)
            {
                own.Add((leafReader.GetInt32(1), new CheckpointLeaf(leafReader.GetGuid(2), leafReader.GetInt64(3), leafReader.GetString(4))));
                pending = await leafReader.ReadAsync(cancellation);
            }
            yield return (checkpoint, own);
        }
    }

    private static SignedCheckpoint Read(NpgsqlDataReader reader, int at) => new(
        new Checkpoint(reader.GetInt64(at), reader.GetFieldValue<DateTimeOffset>(at + 1), reader.GetString(at + 2), reader.GetInt32(at + 3), reader.GetString(at + 4)),
        reader.GetString(at + 5), reader.GetFieldValue<byte[]>(at + 6), reader.GetString(at + 7),
        reader.IsDBNull(at + 8) ? null : reader.GetFieldValue<byte[]>(at + 8), reader.GetString(at + 9));
}
