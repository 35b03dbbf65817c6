using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Marten;
using Npgsql;
using Weasel.Core;
using ISerializer = Marten.ISerializer;

namespace VirtualBranch.Engine.Persistence;

/// <summary>
/// The store's serializer with one shortcut: an event the hash chain has already serialised is handed to the store as
/// that text (the canonical form the chain hashed) instead of being serialised a second time. What is stored is then the
/// very text that was hashed. Everything else goes to the serializer it wraps. With <paramref name="reveal"/>, every read
/// first opens the personal values sealed in what it reads (<see cref="Integrity.PersonalData"/>): folds, projections and
/// pages see them as they were given, or as erased.
/// </summary>
public sealed class ChainedEventSerializer(ISerializer inner, Func<string, string>? reveal = null) : ISerializer
{
    // Keyed by the event object itself (not by value: two equal events are two facts), and gone with it.
    private static readonly ConditionalWeakTable<object, string> Chained = new();

    /// <summary>Hands the store <paramref name="json"/>, the chain's text, as the serialised form of <paramref name="data"/>.</summary>
    public static void Remember(object data, string json) => Chained.AddOrUpdate(data, json);

    public string ToJson(object? document) => document is not null && Chained.TryGetValue(document, out var json) ? json : inner.ToJson(document);

    public void WriteTo(IBufferWriter<byte> writer, object? value)
    {
        if (value is not null && Chained.TryGetValue(value, out var json))
        {
            System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, json.AsSpan(), writer);
            return;
        }
        inner.WriteTo(writer, value);
    }

    public EnumStorage EnumStorage => inner.EnumStorage;

    public Casing Casing => inner.Casing;

    public ValueCasting ValueCasting => inner.ValueCasting;

    public void WriteToParameter(NpgsqlParameter parameter, object? value) => inner.WriteToParameter(parameter, value);

    public void WriteToParameter(DbParameter parameter, object? value) => ((Weasel.Storage.IStorageSerializer)inner).WriteToParameter(parameter, value);

    public void WriteToCleanJson(IBufferWriter<byte> writer, object? value) => inner.WriteToCleanJson(writer, value);

    public string ToJsonWithTypes(object document) => inner.ToJsonWithTypes(document);

    public void WriteToJsonWithTypes(IBufferWriter<byte> writer, object value) => inner.WriteToJsonWithTypes(writer, value);

    public string ToCleanJson(object? document) => inner.ToCleanJson(document);

    public T FromJson<T>(Stream stream) => reveal is null ? inner.FromJson<T>(stream) : inner.FromJson<T>(Revealed(stream));

    public T FromJson<T>(DbDataReader reader, int index) => reveal is null ? inner.FromJson<T>(reader, index) : inner.FromJson<T>(Revealed(reader, index));

    public object FromJson(Type type, Stream stream) => reveal is null ? inner.FromJson(type, stream) : inner.FromJson(type, Revealed(stream));

    public object FromJson(Type type, DbDataReader reader, int index) =>
        reveal is null ? inner.FromJson(type, reader, index) : inner.FromJson(type, Revealed(reader, index));

    public ValueTask<T> FromJsonAsync<T>(Stream stream, CancellationToken cancellationToken = default) =>
        reveal is null ? inner.FromJsonAsync<T>(stream, cancellationToken) : inner.FromJsonAsync<T>(Revealed(stream), cancellationToken);

    public ValueTask<T> FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        reveal is null ? inner.FromJsonAsync<T>(reader, index, cancellationToken) : inner.FromJsonAsync<T>(Revealed(reader, index), cancellationToken);

    public ValueTask<object> FromJsonAsync(Type type, Stream stream, CancellationToken cancellationToken = default) =>
        reveal is null ? inner.FromJsonAsync(type, stream, cancellationToken) : inner.FromJsonAsync(type, Revealed(stream), cancellationToken);

    public ValueTask<object> FromJsonAsync(Type type, DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        reveal is null ? inner.FromJsonAsync(type, reader, index, cancellationToken) : inner.FromJsonAsync(type, Revealed(reader, index), cancellationToken);

    private const byte JsonbVersion = 1;

    private static readonly byte[] SealedMark = System.Text.Encoding.UTF8.GetBytes(Integrity.PersonalData.Prefix);

    private Stream Revealed(DbDataReader reader, int index)
    {
        using var stored = reader.GetStream(index);
        return Revealed(stored);
    }

    // The stored text as it came when it holds no sealed value (the common case: one copy, one search); opened otherwise.
    private MemoryStream Revealed(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        var utf8 = copy.GetBuffer().AsSpan(0, (int)copy.Length);
        if (utf8.IndexOf(SealedMark) < 0)
        {
            copy.Position = 0;
            return copy;
        }
        // jsonb read in binary comes after its version byte (1); the text itself never starts with it.
        var text = System.Text.Encoding.UTF8.GetString(utf8[0] == JsonbVersion ? utf8[1..] : utf8);
        return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reveal!(text)));
    }
}
