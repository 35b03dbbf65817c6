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
        if (IsCanonical(json))
        {
            output.Write(json); // the engine serialises its events in this form already: one read to check, none to rewrite
            return;
        }
        Rewrite(json, output);
    }

    /// <summary>Writes <paramref name="element"/> in canonical form (as a serializer's converter does for the JSON inside events).</summary>
    public static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            element.WriteTo(writer); // refused as the default converter refuses it
            return;
        }
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        if (IsCanonical(raw))
        {
            writer.WriteRawValue(raw, skipInputValidation: true);
            return;
        }
        var rewritten = new ArrayBufferWriter<byte>(raw.Length + 16);
        Rewrite(raw, rewritten);
        writer.WriteRawValue(rewritten.WrittenSpan, skipInputValidation: true);
    }

    private static void Rewrite(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
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

    /// <summary>
    /// Whether <paramref name="json"/> is already canonical, so that its canonical form is itself: no whitespace, keys
    /// in order (ASCII names), strings with nothing to escape, numbers that are plain integers or decimals of at most 28
    /// digits. Conservative: <c>false</c> means "rewrite it", never "it is not JSON".
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }
        var reader = new Utf8JsonReader(json, Strict);
        Span<int> nameStart = stackalloc int[MaxDepth + 2];
        Span<int> nameLength = stackalloc int[MaxDepth + 2];
        Span<int> children = stackalloc int[MaxDepth + 2];
        Span<bool> inObject = stackalloc bool[MaxDepth + 2];
        // Every byte must belong to a token, a ':' after a name or a ',' between two children: then there is no whitespace.
        long bytes = 0;
        try
        {
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (depth >= MaxDepth)
                        {
                            return false;
                        }
                        CountChild(depth, inObject, children);
                        inObject[depth + 1] = reader.TokenType == JsonTokenType.StartObject;
                        children[depth + 1] = 0;
                        nameLength[depth + 1] = -1;
                        bytes += 1;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        bytes += 1 + Math.Max(children[depth + 1] - 1, 0);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueSpan;
                        if (reader.ValueIsEscaped || name.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0 || NeedsEscaping(name))
                        {
                            return false;
                        }
                        var start = (int)reader.TokenStartIndex + 1;
                        if (nameLength[depth] >= 0 && json.Slice(nameStart[depth], nameLength[depth]).SequenceCompareTo(name) > 0)
                        {
                            return false; // ASCII bytes compare as .NET's ordinal order of the names
                        }
                        (nameStart[depth], nameLength[depth]) = (start, name.Length);
                        children[depth]++;
                        bytes += name.Length + 3;
                        break;
                    case JsonTokenType.String:
                        if (reader.ValueIsEscaped ? !EscapedAsWeWould(ref reader) : NeedsEscaping(reader.ValueSpan))
                        {
                            return false;
                        }
                        CountChild(depth, inObject, children);
                        bytes += reader.ValueSpan.Length + 2;
                        break;
                    case JsonTokenType.Number:
                        if (!IsPlainNumber(reader.ValueSpan))
                        {
                            return false;
                        }
                        CountChild(depth, inObject, children);
                        bytes += reader.ValueSpan.Length;
                        break;
                    case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        CountChild(depth, inObject, children);
                        bytes += reader.ValueSpan.Length;
                        break;
                    default:
                        return false; // a comment
                }
            }
        }
        catch (JsonException)
        {
            return false; // trailing commas, several values, broken text: the full rewrite decides
        }
        return bytes == json.Length;

        static void CountChild(int depth, Span<bool> inObject, Span<int> children)
        {
            if (depth > 0 && !inObject[depth])
            {
                children[depth]++; // an array's element (an object's children are counted at their names)
            }
        }
    }

    private const int MaxDepth = 64;
    private static readonly JsonReaderOptions Strict = new() { CommentHandling = JsonCommentHandling.Allow, MaxDepth = MaxDepth };

    private static bool NeedsEscaping(ReadOnlySpan<byte> utf8) =>
        utf8.IndexOfAny((byte)'"', (byte)'\\') >= 0 || Options.Encoder!.FindFirstCharacterToEncodeUtf8(utf8) >= 0;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _escaping;

    /// <summary>Whether an escaped string is escaped exactly as the canonical writer escapes it (a line break as <c>\n</c>, ...).</summary>
    private static bool EscapedAsWeWould(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = reader.CopyString(rented);
            var (buffer, writer) = _escaping ??= NewEscaping();
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStringValue(rented.AsSpan(0, length));
            writer.Flush();
            return buffer.WrittenSpan[1..^1].SequenceEqual(raw);
        }
        catch (InvalidOperationException)
        {
            return false; // not text the writer accepts as it is
        }
        catch (ArgumentException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewEscaping()
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            return (buffer, new Utf8JsonWriter(buffer, Options));
        }
    }

    /// <summary>A number <see cref="WriteNumber"/> writes back unchanged: an integer, or a decimal of at most 28 digits that is not a negative zero.</summary>
    private static bool IsPlainNumber(ReadOnlySpan<byte> raw)
    {
        var digits = raw[0] == (byte)'-' ? raw[1..] : raw;
        var point = digits.IndexOf((byte)'.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? [] : digits[(point + 1)..];
        if (whole.IsEmpty || whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || (point >= 0 && (fraction.IsEmpty || fraction.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)))
        {
            return false; // an exponent, or not a number we know the form of
        }
        if (point < 0 && digits.Length == raw.Length)
        {
            return true; // a non-negative integer is written as it is, whatever its length
        }
        return whole.Length + fraction.Length <= 28 && (digits.IndexOfAnyExcept((byte)'0', (byte)'.') >= 0 || digits.Length == raw.Length);
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
