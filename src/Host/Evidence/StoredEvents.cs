using System.Text.Json;
using Npgsql;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>Reads a case's stored event rows exactly as they are in PostgreSQL, for verification, replay and export.</summary>
public sealed class StoredEvents(NpgsqlDataSource database)
{
    public async Task<(IReadOnlyList<ChainedRow> Rows, long? StreamVersion)> ReadAsync(Guid caseId, CancellationToken cancellation)
    {
        var rows = new List<ChainedRow>();
        await using (var command = database.CreateCommand(
            "select seq_id, version, type, data::text, timestamp, headers::text, correlation_id, causation_id from vb.mt_events where stream_id = $1 order by version, seq_id"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = caseId });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                JsonElement? headers = reader.IsDBNull(5) ? null : JsonDocument.Parse(reader.GetString(5)).RootElement;
                rows.Add(new ChainedRow(
                    reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                    Header(headers, HashChain.ActorIdHeader), Header(headers, HashChain.ActorRoleHeader), Header(headers, HashChain.RecordedAtHeader),
                    Header(headers, HashChain.HashHeader), Header(headers, HashChain.PreviousHeader),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }
        await using var stream = database.CreateCommand("select version from vb.mt_streams where id = $1");
        stream.Parameters.Add(new NpgsqlParameter { Value = caseId });
        var version = await stream.ExecuteScalarAsync(cancellation);
        return (rows, version is long v ? v : null);
    }

    public async Task<IReadOnlyList<Guid>> AllCaseIdsAsync(CancellationToken cancellation)
    {
        var ids = new List<Guid>();
        await using var command = database.CreateCommand("select id from vb.mt_streams where id in (select id from vb.mt_doc_casesummary) order by timestamp");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private static string? Header(JsonElement? headers, string name) =>
        headers is { ValueKind: JsonValueKind.Object } h && h.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
