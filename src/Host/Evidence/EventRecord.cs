using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// One event as regulators read it and as the export bundle keeps it (one line of events.jsonl). <see cref="Data"/> is the
/// event with its sealed personal values opened (or erased); when it had any, <see cref="Stored"/> is the text as stored,
/// which the chain's hash is taken over.
/// </summary>
public sealed record EventRecord(
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset Timestamp,
    string? RecordedAt,
    ActorRecord Actor,
    string? CorrelationId,
    string? CausationId,
    JsonElement Data,
    string? Hash,
    string? PreviousHash,
    string? Chain = null,
    JsonElement? Stored = null)
{
    public static EventRecord From(ChainedRow row, Func<string, string> reveal)
    {
        var stored = System.Text.Encoding.UTF8.GetString(row.Utf8Data);
        var revealed = reveal(stored);
        var data = JsonDocument.Parse(revealed).RootElement.Clone();
        return new(row.Version, row.SequenceId, row.EventType, row.Timestamp, row.RecordedAt, new ActorRecord(row.ActorId, row.ActorRole),
            row.CorrelationId, row.CausationId, data, row.Hash, row.PreviousHash, row.ChainFormat,
            ReferenceEquals(revealed, stored) ? null : JsonDocument.Parse(stored).RootElement.Clone());
    }

    public ChainedRow ToRow() => new(Sequence, Version, Type, System.Text.Encoding.UTF8.GetBytes((Stored ?? Data).GetRawText()), Timestamp, Actor.Id, Actor.Role,
        RecordedAt, Hash, PreviousHash, CorrelationId, CausationId, Chain);
}

/// <summary>Who did it.</summary>
public sealed record ActorRecord(string? Id, string? Role);
