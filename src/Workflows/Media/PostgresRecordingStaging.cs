using System.Text.Json;
using Npgsql;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// Recordings waiting in PostgreSQL, for deployments without a shared folder: one row per recording, per segment and
/// per chunk (<see cref="PostgresRecordingTables"/>). A chunk is one insert, so it is there whole or not at all, and
/// the primary key lets only the first of two Hosts writing the same index keep it. Arrival times are the database's.
/// </summary>
public sealed class PostgresRecordingStaging(NpgsqlDataSource database) : IRecordingStaging
{
    private readonly TablesOnce _tables = new(database, PostgresRecordingTables.Ddl);

    public async Task<StagedRecording?> FindAsync(Guid recordingId, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync("""
            select case_id, media_type, sealed, (select count(*)::int from vb.vb_recording_segments s where s.recording_id = r.recording_id)
            from vb.vb_recordings r where recording_id = $1
            """, cancellation, recordingId);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation))
        {
            return null;
        }
        var seal = reader.IsDBNull(2) ? null : JsonSerializer.Deserialize<RecordingSeal>(reader.GetString(2));
        return new StagedRecording(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(3), seal);
    }

    public async Task StartAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync("""
            with started as (insert into vb.vb_recordings (recording_id, case_id, media_type) values ($1, $2, $3) on conflict do nothing returning recording_id)
            insert into vb.vb_recording_segments (recording_id, segment) select recording_id, 0 from started
            """, cancellation, recordingId, caseId, mediaType);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async Task AddSegmentAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "insert into vb.vb_recording_segments (recording_id, segment) values ($1, $2) on conflict do nothing", cancellation, recordingId, segment);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async Task<IReadOnlyList<StagedChunk>> ChunksAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "select index, length(data), arrived_at from vb.vb_recording_chunks where recording_id = $1 and segment = $2 order by index", cancellation, recordingId, segment);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var chunks = new List<StagedChunk>();
        while (await reader.ReadAsync(cancellation) && reader.GetInt32(0) == chunks.Count)
        {
            chunks.Add(new StagedChunk(chunks.Count, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }
        return chunks;
    }

    public async Task<byte[]?> ReadChunkAsync(Guid recordingId, int segment, int index, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "select data from vb.vb_recording_chunks where recording_id = $1 and segment = $2 and index = $3", cancellation, recordingId, segment, index);
        return await command.ExecuteScalarAsync(cancellation) as byte[];
    }

    public async Task<bool> AddChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "insert into vb.vb_recording_chunks (recording_id, segment, index, data) values ($1, $2, $3, $4) on conflict do nothing", cancellation, recordingId, segment, index);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = content });
        return await command.ExecuteNonQueryAsync(cancellation) == 1;
    }

    public async Task CopySegmentAsync(Guid recordingId, int segment, int chunks, Stream target, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "select data from vb.vb_recording_chunks where recording_id = $1 and segment = $2 and index < $3 order by index", cancellation, recordingId, segment, chunks);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            await using var data = await reader.GetStreamAsync(0, cancellation);
            await data.CopyToAsync(target, cancellation);
        }
    }

    public async Task EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "update vb.vb_recording_segments set declared_chunks = $3 where recording_id = $1 and segment = $2", cancellation, recordingId, segment, chunks);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async Task<int?> DeclaredChunksAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "select declared_chunks from vb.vb_recording_segments where recording_id = $1 and segment = $2", cancellation, recordingId, segment);
        return await command.ExecuteScalarAsync(cancellation) as int?;
    }

    public async Task MarkSealedAsync(Guid recordingId, RecordingSeal seal, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync(
            "update vb.vb_recordings set sealed = $2 where recording_id = $1 and sealed is null", cancellation, recordingId, JsonSerializer.Serialize(seal));
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async Task DiscardChunksAsync(Guid recordingId, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync("delete from vb.vb_recording_chunks where recording_id = $1", cancellation, recordingId);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
