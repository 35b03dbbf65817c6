using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>One event as regulators read it and as the export bundle keeps it (one line of events.jsonl).</summary>
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
    string? Chain = null)
{
    public static EventRecord From(ChainedRow row) => new(
        row.Version, row.SequenceId, row.EventType, row.Timestamp, row.RecordedAt, new ActorRecord(row.ActorId, row.ActorRole),
        row.CorrelationId, row.CausationId, JsonDocument.Parse(row.Utf8Data).RootElement.Clone(), row.Hash, row.PreviousHash, row.ChainFormat);

    public ChainedRow ToRow() => new(Sequence, Version, Type, System.Text.Encoding.UTF8.GetBytes(Data.GetRawText()), Timestamp, Actor.Id, Actor.Role, RecordedAt, Hash, PreviousHash,
        CorrelationId, CausationId, Chain);
}

/// <summary>Who did it.</summary>
public sealed record ActorRecord(string? Id, string? Role);
