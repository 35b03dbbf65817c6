using System.Runtime.CompilerServices;
using Npgsql;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Evidence;

/// <summary>One case's stored rows, ordered by version, with the version its stream record claims.</summary>
public sealed record StoredStream(Guid CaseId, IReadOnlyList<ChainedRow> Rows, long? StreamVersion);

/// <summary>
/// Reads cases' stored event rows exactly as they are in PostgreSQL, for verification, replay and export. Many cases
/// are read in one round trip, and a scan reads the next batch while the caller works on the current one.
/// </summary>
public sealed class StoredEvents(NpgsqlDataSource database)
{
    /// <summary>How many cases a scan reads per round trip.</summary>
    public const int ScanBatch = 250;

    private const string RowsSql =
        "select stream_id, seq_id, version, type, data::text, timestamp, headers ->> 'actor-id', headers ->> 'actor-role', headers ->> 'at', " +
        "headers ->> 'hash', headers ->> 'prev', correlation_id, causation_id, headers ->> 'chain' from vb.mt_events where stream_id = any($1) order by stream_id, version, seq_id";

    public async Task<(IReadOnlyList<ChainedRow> Rows, long? StreamVersion)> ReadAsync(Guid caseId, CancellationToken cancellation)
    {
        var stream = (await ReadManyAsync([caseId], cancellation))[0];
        return (stream.Rows, stream.StreamVersion);
    }

    /// <summary>The rows of each case asked for, in the order asked (a case with no stream comes back empty, with no version).</summary>
    public async Task<IReadOnlyList<StoredStream>> ReadManyAsync(IReadOnlyList<Guid> caseIds, CancellationToken cancellation)
    {
        var rows = caseIds.Distinct().ToDictionary(id => id, _ => new List<ChainedRow>());
        var versions = new Dictionary<Guid, long>();
        // Rows and stream versions from one snapshot: a command committing in between must not look like a missing event.
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(RowsSql) { Parameters = { new() { Value = caseIds.ToArray() } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select id, version from vb.mt_streams where id = any($1)") { Parameters = { new() { Value = caseIds.ToArray() } } });
        await using (var reader = await batch.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                rows[reader.GetGuid(0)].Add(new ChainedRow(
                    reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<DateTimeOffset>(5),
                    Text(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9), Text(reader, 10), Text(reader, 11), Text(reader, 12), Text(reader, 13)));
            }
            await reader.NextResultAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                versions[reader.GetGuid(0)] = reader.GetInt64(1);
            }
        }
        await transaction.CommitAsync(cancellation);
        return [.. caseIds.Select(id => new StoredStream(id, rows[id], versions.TryGetValue(id, out var v) ? v : null))];
    }

    /// <summary>
    /// Every given case, <see cref="ScanBatch"/> at a time: the next batch is on its way while the caller handles this one
    /// (which it may do on all cores: the cases of a batch are independent).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<StoredStream>> ScanAsync(IReadOnlyList<Guid> caseIds, [EnumeratorCancellation] CancellationToken cancellation,
        int batchSize = ScanBatch)
    {
        var batches = caseIds.Chunk(batchSize).ToList();
        var next = batches.Count > 0 ? ReadManyAsync(batches[0], cancellation) : null;
        for (var i = 0; i < batches.Count; i++)
        {
            var current = await next!;
            next = i + 1 < batches.Count ? ReadManyAsync(batches[i + 1], cancellation) : null;
            yield return current;
        }
    }

    /// <summary>
    /// Every case in the store, oldest first: the streams that begin with a case being opened, and every stream that has
    /// a case summary (so a case whose first event was removed or retyped is still listed, and verifying all cases finds
    /// it), then the cases a checkpoint names whose stream is gone (deleted cases). Access logs, media audits and Marten's
    /// own bookkeeping streams are not cases.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> AllCaseIdsAsync(CancellationToken cancellation)
    {
        var ids = new List<Guid>();
        await using var command = database.CreateCommand(
            "select id from (select s.id, s.created from vb.mt_streams s where s.id in (select id from vb.mt_doc_casesummary) or exists " +
            "(select 1 from vb.mt_events e where e.stream_id = s.id and e.version = 1 and e.type = $1) " +
            "union select l.case_id, null from (select distinct case_id from vb.vb_checkpoint_leaves) l " +
            "where not exists (select 1 from vb.mt_streams s where s.id = l.case_id)) cases order by created nulls last, id");
        command.Parameters.Add(new NpgsqlParameter { Value = CaseStreams.EventTypeName(typeof(CaseOpened)) });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
