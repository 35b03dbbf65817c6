using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// JSON with object keys sorted (ordinal, as .NET compares strings; equal keys keep their order) and no insignificant
/// whitespace, numbers in their plain decimal form, strings escaped only where JSON must. Equal content gives equal
/// bytes and therefore equal hashes, whatever the author's formatting or PostgreSQL's jsonb did to it.
/// Written straight from the UTF-8 text with a forward reader: no document is built (this runs for every event the
/// engine appends and every event a verification reads).
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonReaderOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _scratch;

    public static string Write(JsonElement element) => Write(element.GetRawText());

    public static string Write(string json)
    {
        var buffer = Scratch();
        WriteUtf8(Encoding.UTF8.GetBytes(json), buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Appends the canonical form of <paramref name="json"/> (one JSON value, UTF-8) to <paramref name="output"/>.</summary>
    public static void WriteUtf8(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        var reader = new Utf8JsonReader(json, Lenient);
        reader.Read();
        WriteValue(ref reader, json, writer);
        if (reader.Read())
        {
            throw new JsonException($"The JSON has more after its value, at byte {reader.TokenStartIndex}.");
        }
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A per-thread buffer, emptied, for callers that hash or copy the canonical bytes right away.</summary>
    internal static ArrayBufferWriter<byte> Scratch()
    {
        if (_scratch is { Capacity: > 1 << 20 })
        {
            _scratch = null; // one very large event must not keep a large buffer alive on this thread for good
        }
        var buffer = _scratch ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        return buffer;
    }

    private readonly record struct Member(string Name, int Order, int Start, int End);

    /// <summary>Writes the value the reader stands on and leaves the reader on its last token.</summary>
    private static void WriteValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                // Note where each member's value lies, sort the members by name, then write each value from its own slice.
                var members = new List<Member>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    members.Add(new Member(name, members.Count, start, (int)reader.BytesConsumed));
                }
                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : a.Order.CompareTo(b.Order));
                writer.WriteStartObject();
                foreach (var member in members)
                {
                    writer.WritePropertyName(member.Name);
                    var value = json[member.Start..member.End];
                    var inner = new Utf8JsonReader(value, Lenient);
                    inner.Read();
                    WriteValue(ref inner, value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    WriteValue(ref reader, json, writer);
                }
                writer.WriteEndArray();
                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped)
                {
                    writer.WriteStringValue(reader.GetString());
                }
                else
                {
                    writer.WriteStringValue(reader.ValueSpan);
                }
                break;
            case JsonTokenType.Number:
                WriteNumber(reader.ValueSpan, writer);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>1E+3 and 1000 are the same number; PostgreSQL's jsonb writes the plain form, so do we (numbers beyond decimal stay as written).</summary>
    private static void WriteNumber(ReadOnlySpan<byte> raw, Utf8JsonWriter writer)
    {
        if (raw.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            writer.WriteRawValue(raw, skipInputValidation: true); // a plain non-negative integer is already in its plain form
            return;
        }
        Span<char> text = raw.Length <= 64 ? stackalloc char[64] : new char[raw.Length];
        var length = Encoding.ASCII.GetChars(raw, text);
        writer.WriteRawValue(decimal.TryParse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : text[..length].ToString(), skipInputValidation: true);
    }
}
