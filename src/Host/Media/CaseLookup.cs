using Npgsql;

namespace VirtualBranch.Host.Media;

/// <summary>Finds the case a recording or a document belongs to, from the events that named them.</summary>
public sealed class CaseLookup(NpgsqlDataSource database)
{
    public Task<Guid?> CaseOfRecordingAsync(Guid recordingId, CancellationToken cancellation) =>
        FindAsync("recording_started", "RecordingId", recordingId, cancellation);

    public async Task<(Guid CaseId, string Sha256, string MediaType, string Kind)?> DocumentAsync(Guid documentId, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            "select stream_id, data->'Evidence'->0->>'Sha256', data->'Evidence'->0->>'MediaType', data->>'Kind' from vb.mt_events where type = 'document_collected' and data->>'DocumentId' = $1 limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = documentId.ToString() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null;
    }

    /// <summary>The hash of a sealed recording's segment (its evidence files are in segment order).</summary>
    public async Task<string?> SealedRecordingAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            "select data->'Evidence'->$2->>'Sha256' from vb.mt_events where type = 'recording_sealed' and data->>'RecordingId' = $1 limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = recordingId.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = segment });
        return await command.ExecuteScalarAsync(cancellation) as string;
    }

    private async Task<Guid?> FindAsync(string type, string property, Guid id, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"select stream_id from vb.mt_events where type = $1 and data->>'{property}' = $2 limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        command.Parameters.Add(new NpgsqlParameter { Value = id.ToString() });
        return await command.ExecuteScalarAsync(cancellation) is Guid found ? found : null;
    }
}
