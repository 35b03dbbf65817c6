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
        var leaves = new Dictionary<Guid, AnchoredLeaf>();
        await using var command = database.CreateCommand(
            $"select distinct on (l.case_id) l.case_id, l.position, l.version, l.head, l.proof, {Columns} from vb.vb_checkpoint_leaves l " +
            "join vb.vb_checkpoints c on c.number = l.checkpoint where l.case_id = any($1) order by l.case_id, l.checkpoint desc");
        command.Parameters.Add(new NpgsqlParameter { Value = caseIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var leaf = new CheckpointLeaf(reader.GetGuid(0), reader.GetInt64(2), reader.GetString(3));
            leaves[leaf.CaseId] = new AnchoredLeaf(Read(reader, 5), reader.GetInt32(1), leaf, reader.GetFieldValue<byte[]>(4));
        }
        return leaves;
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

    /// <summary>Every checkpoint from <paramref name="fromNumber"/> on, in stored order, each with its leaves in position order.</summary>
    public async IAsyncEnumerable<(SignedCheckpoint Checkpoint, IReadOnlyList<(int Position, CheckpointLeaf Leaf)> Leaves)> FromAsync(long fromNumber,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        var checkpoints = new List<SignedCheckpoint>();
        await using (var command = new NpgsqlCommand($"select {Columns} from vb.vb_checkpoints c where c.number >= $1 order by c.number", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = fromNumber });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                checkpoints.Add(Read(reader, 0));
            }
        }
        foreach (var checkpoint in checkpoints)
        {
            var leaves = new List<(int, CheckpointLeaf)>();
            await using var command = new NpgsqlCommand(
                "select position, case_id, version, head from vb.vb_checkpoint_leaves where checkpoint = $1 order by position", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Checkpoint.Number });
            await using (var reader = await command.ExecuteReaderAsync(cancellation))
            {
                while (await reader.ReadAsync(cancellation))
                {
                    leaves.Add((reader.GetInt32(0), new CheckpointLeaf(reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3))));
                }
            }
            yield return (checkpoint, leaves);
        }
    }

    private static SignedCheckpoint Read(NpgsqlDataReader reader, int at) => new(
        new Checkpoint(reader.GetInt64(at), reader.GetFieldValue<DateTimeOffset>(at + 1), reader.GetString(at + 2), reader.GetInt32(at + 3), reader.GetString(at + 4)),
        reader.GetString(at + 5), reader.GetFieldValue<byte[]>(at + 6), reader.GetString(at + 7),
        reader.IsDBNull(at + 8) ? null : reader.GetFieldValue<byte[]>(at + 8), reader.GetString(at + 9));
}
