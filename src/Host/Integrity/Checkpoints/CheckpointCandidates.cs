using Npgsql;
using NpgsqlTypes;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>
/// The cases a checkpoint may anchor: changed since their last anchor, still extending what was anchored, and with no
/// event recorded so long ago that an earlier scheduled checkpoint should already have named it (a case inserted or
/// extended with back-dated events is refused, not anchored).
/// </summary>
internal static class CheckpointCandidates
{
    // The heads table only finds the cases to look at; what they must extend is their latest leaf, which is signed
    // (through its checkpoint's root): deleting or editing a heads row makes a case a candidate, never re-anchors a rewrite.
    private const string Columns = "select s.id, s.version, e.headers ->> 'hash', l.version, l.head, l.checkpoint";

    private const string Joins = """
        join vb.mt_doc_casesummary c on c.id = s.id
        left join vb.vb_checkpoint_heads h on h.case_id = s.id
        join vb.mt_events e on e.stream_id = s.id and e.version = s.version
        left join lateral (select version, head, checkpoint from vb.vb_checkpoint_leaves where case_id = s.id order by checkpoint desc limit 1) l on true
        where h.version is distinct from s.version
        """;

    /// <summary>Every changed case: the scheduled run compares every stream with its anchor (one pass over the streams).</summary>
    private const string OfAll = Columns + " from vb.mt_streams s " + Joins;

    /// <summary>The changed cases among a list (just sealed): driven from the list, so each stream is read by its key.</summary>
    private const string OfSome = Columns + " from unnest($1::uuid[]) k(id) join vb.mt_streams s on s.id = k.id " + Joins;

    public static async Task<(List<CheckpointLeaf> Leaves, List<string> Refused)> ReadAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid>? caseIds,
        CancellationToken cancellation)
    {
        var changed = new List<(CheckpointLeaf Now, long? AnchoredVersion, string? AnchoredHead, long? At)>();
        await using (var command = new NpgsqlCommand(caseIds is null ? OfAll : OfSome, connection))
        {
            if (caseIds is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = caseIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            }
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
        return (await RefuseBackDatedAsync(connection, leaves, changed.ToDictionary(c => c.Now.CaseId, c => c.AnchoredVersion ?? 0), refused, cancellation), refused);
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

    /// <summary>Leaves whose new events were all recorded after the previous scheduled checkpoint could have seen them.</summary>
    private static async Task<List<CheckpointLeaf>> RefuseBackDatedAsync(NpgsqlConnection connection, List<CheckpointLeaf> leaves,
        Dictionary<Guid, long> anchoredVersions, List<string> refused, CancellationToken cancellation)
    {
        DateTimeOffset? previous;
        await using (var last = new NpgsqlCommand("select max(created_at), max(number) from vb.vb_checkpoints where kind = 'schedule'", connection))
        await using (var reader = await last.ExecuteReaderAsync(cancellation))
        {
            await reader.ReadAsync(cancellation);
            previous = reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        }
        if (previous is not { } before || leaves.Count == 0)
        {
            return leaves; // the first scheduled checkpoint anchors whatever was there before checkpoints began
        }
        var cutoff = before - CheckpointVerifier.AnchorDeadline;
        var earliest = new Dictionary<Guid, (long Version, string At)>();
        await using (var command = new NpgsqlCommand(
            "select distinct on (e.stream_id) e.stream_id, e.version, e.headers ->> 'at' from vb.mt_events e " +
            "join unnest($1::uuid[], $2::bigint[]) k(id, v) on e.stream_id = k.id and e.version > k.v order by e.stream_id, e.headers ->> 'at'", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => l.CaseId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = leaves.Select(l => anchoredVersions[l.CaseId]).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                earliest[reader.GetGuid(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? "" : reader.GetString(2));
            }
        }
        var kept = new List<CheckpointLeaf>(leaves.Count);
        foreach (var leaf in leaves)
        {
            if (earliest.TryGetValue(leaf.CaseId, out var first) && DateTimeOffset.TryParse(first.At, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.RoundtripKind, out var at) && at < cutoff)
            {
                refused.Add($"case {leaf.CaseId}: version {first.Version} was recorded at {first.At}, before the scheduled checkpoint of " +
                    $"{HashChain.Time(before)} that should have named it (back-dated, or kept from the checkpoints)");
                continue;
            }
            kept.Add(leaf);
        }
        return kept;
    }
}
