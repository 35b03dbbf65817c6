using Marten;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>
/// Turns stored event rows back into events with the store's own type names and serializer, so many cases read in
/// one round trip can be folded without asking Marten for each stream.
/// </summary>
public sealed class EventDecoder
{
    private readonly Dictionary<string, Type> _types;
    private readonly Weasel.Storage.IStorageSerializer _serializer;

    public EventDecoder(IDocumentStore store)
    {
        _types = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType, StringComparer.Ordinal);
        _serializer = store.Options.Serializer();
    }

    public object Decode(ChainedRow row)
    {
        if (!_types.TryGetValue(row.EventType, out var type))
        {
            throw new InvalidOperationException($"Event {row.Version} is of type '{row.EventType}', which this Host does not know.");
        }
        using var json = new MemoryStream(row.Utf8Data, writable: false);
        return _serializer.FromJson(type, json);
    }

    /// <summary>The case's state after its rows (null for no rows).</summary>
    public CaseState? Fold(IEnumerable<ChainedRow> rows) => CaseEvolver.Fold(rows.Select(Decode));
}
