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
/// very text that was hashed. Everything else, and every read, goes to the serializer it wraps.
/// </summary>
public sealed class ChainedEventSerializer(ISerializer inner) : ISerializer
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

    public T FromJson<T>(Stream stream) => inner.FromJson<T>(stream);

    public T FromJson<T>(DbDataReader reader, int index) => inner.FromJson<T>(reader, index);

    public object FromJson(Type type, Stream stream) => inner.FromJson(type, stream);

    public object FromJson(Type type, DbDataReader reader, int index) => inner.FromJson(type, reader, index);

    public ValueTask<T> FromJsonAsync<T>(Stream stream, CancellationToken cancellationToken = default) => inner.FromJsonAsync<T>(stream, cancellationToken);

    public ValueTask<T> FromJsonAsync<T>(DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        inner.FromJsonAsync<T>(reader, index, cancellationToken);

    public ValueTask<object> FromJsonAsync(Type type, Stream stream, CancellationToken cancellationToken = default) =>
        inner.FromJsonAsync(type, stream, cancellationToken);

    public ValueTask<object> FromJsonAsync(Type type, DbDataReader reader, int index, CancellationToken cancellationToken = default) =>
        inner.FromJsonAsync(type, reader, index, cancellationToken);
}
