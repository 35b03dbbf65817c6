using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// JSON with object keys sorted (ordinal, as .NET compares strings; equal keys keep their order) and no insignificant
/// whitespace, numbers in their plain decimal form, strings escaped only where JSON must. Equal content gives equal
/// bytes and therefore equal hashes, whatever the author's formatting or PostgreSQL's jsonb did to it.
/// This runs for every event the engine appends and every event a verification reads: text already in this form is
/// recognised in one read (<see cref="IsCanonical"/>, how the engine serialises its events), anything else is read
/// once into a token list and written sorted, without building a document.
/// </summary>
public static class CanonicalJson
{
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
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

    /// <summary>
    /// Writes <paramref name="element"/> in canonical form (as a serializer's converter does for the JSON inside events),
    /// unless that would change a number's digits (a decimal rounded to 28 places, an exponent): then as it is, so
    /// what is stored is what was sent.
    /// </summary>
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
        if (Rewrite(raw, rewritten, onlyIfNumbersArePlain: true))
        {
            writer.WriteRawValue(rewritten.WrittenSpan, skipInputValidation: true);
        }
        else
        {
            element.WriteTo(writer);
        }
    }

    /// <summary>One token of a document being rewritten: where its bytes are, and for a container where it ends.</summary>
    private struct Token
    {
        public JsonTokenType Type;
        public int Start;   // of the value (inside the quotes for strings and names)
        public int Length;
        public bool Escaped;
        public int End;     // for StartObject / StartArray: the index of the matching end token
    }

    [ThreadStatic]
    private static Token[]? _tokens;

    /// <summary>
    /// The canonical form of any JSON text: read once into a token list, then written with each object's members in
    /// order, copying what needs no change (most names and strings) byte for byte.
    /// </summary>
    /// <returns>False, with nothing written, when <paramref name="onlyIfNumbersArePlain"/> and a number would change.</returns>
    private static bool Rewrite(ReadOnlySpan<byte> json, IBufferWriter<byte> output, bool onlyIfNumbersArePlain = false)
    {
        var tokens = _tokens ?? new Token[256];
        _tokens = null; // a nested rewrite on this thread (none today) would get its own list
        try
        {
            var count = Tokenize(json, ref tokens, out var numbersArePlain);
            if (onlyIfNumbersArePlain && !numbersArePlain)
            {
                return false;
            }
            if (count > 0 && Emit(json, tokens, 0, output) != count)
            {
                throw new JsonException("The JSON has more after its value.");
            }
            return true;
        }
        finally
        {
            _tokens = tokens.Length <= 1 << 16 ? tokens : null; // one very large document must not keep its list alive on this thread
        }
    }

    private static int Tokenize(ReadOnlySpan<byte> json, ref Token[] tokens, out bool numbersArePlain)
    {
        numbersArePlain = true;
        var reader = new Utf8JsonReader(json, Lenient);
        Span<int> open = stackalloc int[MaxDepth + 2];
        var count = 0;
        while (reader.Read())
        {
            if (count == tokens.Length)
            {
                Array.Resize(ref tokens, tokens.Length * 2);
            }
            ref var token = ref tokens[count];
            token.Type = reader.TokenType;
            token.Escaped = reader.ValueIsEscaped;
            token.End = 0;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    open[reader.CurrentDepth] = count;
                    token.Start = (int)reader.TokenStartIndex;
                    token.Length = 1;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    tokens[open[reader.CurrentDepth]].End = count;
                    token.Start = (int)reader.TokenStartIndex;
                    token.Length = 1;
                    break;
                case JsonTokenType.String or JsonTokenType.PropertyName:
                    token.Start = (int)reader.TokenStartIndex + 1;
                    token.Length = reader.ValueSpan.Length;
                    break;
                default:
                    token.Start = (int)reader.TokenStartIndex;
                    token.Length = reader.ValueSpan.Length;
                    numbersArePlain &= reader.TokenType != JsonTokenType.Number || IsPlainNumber(reader.ValueSpan);
                    break;
            }
            count++;
        }
        return count;
    }

    /// <summary>Writes the value at token <paramref name="at"/>; returns the index of the token after it.</summary>
    private static int Emit(ReadOnlySpan<byte> json, Token[] tokens, int at, IBufferWriter<byte> output)
    {
        var token = tokens[at];
        switch (token.Type)
        {
            case JsonTokenType.StartObject:
                return EmitObject(json, tokens, at, output);
            case JsonTokenType.StartArray:
                Append(output, "["u8);
                var item = at + 1;
                for (var first = true; item < token.End; first = false)
                {
                    if (!first)
                    {
                        Append(output, ","u8);
                    }
                    item = Emit(json, tokens, item, output);
                }
                Append(output, "]"u8);
                return token.End + 1;
            case JsonTokenType.String:
                EmitString(json, token, output);
                return at + 1;
            case JsonTokenType.Number:
                EmitNumber(json.Slice(token.Start, token.Length), output);
                return at + 1;
            case JsonTokenType.True:
                Append(output, "true"u8);
                return at + 1;
            case JsonTokenType.False:
                Append(output, "false"u8);
                return at + 1;
            default:
                Append(output, "null"u8);
                return at + 1;
        }
    }

    private static int EmitObject(ReadOnlySpan<byte> json, Token[] tokens, int at, IBufferWriter<byte> output)
    {
        var end = tokens[at].End;
        // The members' name tokens, in the order written; values follow their names.
        var rented = ArrayPool<int>.Shared.Rent(Math.Max(4, (end - at) / 2));
        try
        {
            var count = 0;
            for (var name = at + 1; name < end; name = Next(tokens, name + 1))
            {
                rented[count++] = name;
            }
            var members = rented.AsSpan(0, count);
            if (members.Length > 32)
            {
                // Many members: sorted by their decoded names, equal names in their order of appearance.
                var keys = new (string Name, int Token)[members.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    keys[i] = (Text(json, tokens[members[i]]), members[i]);
                }
                Array.Sort(keys, static (a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : a.Token.CompareTo(b.Token));
                for (var i = 0; i < keys.Length; i++)
                {
                    members[i] = keys[i].Token;
                }
            }
            // Insertion sort: stable (equal names keep their order) and quick for the few members objects have.
            for (var i = 1; i < members.Length; i++)
            {
                var moving = members[i];
                var j = i - 1;
                while (j >= 0 && CompareNames(json, tokens[members[j]], tokens[moving]) > 0)
                {
                    members[j + 1] = members[j];
                    j--;
                }
                members[j + 1] = moving;
            }
            Append(output, "{"u8);
            for (var i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    Append(output, ","u8);
                }
                EmitString(json, tokens[members[i]], output);
                Append(output, ":"u8);
                Emit(json, tokens, members[i] + 1, output);
            }
            Append(output, "}"u8);
            return end + 1;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        static int Next(Token[] tokens, int value) =>
            tokens[value].Type is JsonTokenType.StartObject or JsonTokenType.StartArray ? tokens[value].End + 1 : value + 1;
    }

    /// <summary>Names compare as .NET compares strings, ordinally by UTF-16 code unit.</summary>
    private static int CompareNames(ReadOnlySpan<byte> json, Token a, Token b)
    {
        var x = json.Slice(a.Start, a.Length);
        var y = json.Slice(b.Start, b.Length);
        if (!a.Escaped && !b.Escaped && x.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0 && y.IndexOfAnyExceptInRange((byte)0, (byte)0x7F) < 0)
        {
            return x.SequenceCompareTo(y); // ASCII: bytes order as code units do
        }
        return string.CompareOrdinal(Text(json, a), Text(json, b));
    }

    /// <summary>The text of a string or name token, unescaped.</summary>
    private static string Text(ReadOnlySpan<byte> json, Token token)
    {
        var quoted = json.Slice(token.Start - 1, token.Length + 2);
        if (!token.Escaped)
        {
            return Encoding.UTF8.GetString(quoted[1..^1]);
        }
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>A string or name, escaped as the canonical writer escapes it: copied as it is when that changes nothing.</summary>
    private static void EmitString(ReadOnlySpan<byte> json, Token token, IBufferWriter<byte> output)
    {
        var raw = json.Slice(token.Start, token.Length);
        Append(output, "\""u8);
        if (!token.Escaped && !NeedsEscaping(raw))
        {
            Append(output, raw);
        }
        else
        {
            var encoded = token.Escaped ? JsonEncodedText.Encode(Text(json, token), Encoder) : JsonEncodedText.Encode(raw, Encoder);
            Append(output, encoded.EncodedUtf8Bytes);
        }
        Append(output, "\""u8);
    }

    /// <summary>
    /// 1E+3 and 1000 are the same number; PostgreSQL's jsonb writes the plain form, so do we: through decimal where it
    /// holds the number, and beyond its range (1e29) in plain digits exactly as PostgreSQL writes them.
    /// </summary>
    private static void EmitNumber(ReadOnlySpan<byte> raw, IBufferWriter<byte> output)
    {
        if (raw.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
        {
            Append(output, raw); // a plain non-negative integer is already in its plain form
            return;
        }
        Span<char> text = raw.Length <= 64 ? stackalloc char[64] : new char[raw.Length];
        var length = Encoding.ASCII.GetChars(raw, text);
        if (decimal.TryParse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            Span<char> plain = stackalloc char[64];
            number.TryFormat(plain, out var written, provider: CultureInfo.InvariantCulture);
            var bytes = output.GetSpan(written);
            written = Encoding.ASCII.GetBytes(plain[..written], bytes);
            output.Advance(written);
        }
        else if (raw.IndexOfAny((byte)'e', (byte)'E') >= 0 && PlainDigits(raw) is { } expanded)
        {
            Append(output, Encoding.ASCII.GetBytes(expanded));
        }
        else
        {
            Append(output, raw);
        }
    }

    /// <summary>
    /// A number with an exponent in plain digits as PostgreSQL's numeric writes it: the digits shifted, as many decimals
    /// as the mantissa had less the exponent (never fewer than none), no sign on zero. Null beyond numeric's range.
    /// </summary>
    internal static string? PlainDigits(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.ASCII.GetString(raw);
        var negative = text.StartsWith('-');
        var e = text.IndexOfAny(['e', 'E']);
        if (!int.TryParse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 131_072)
        {
            return null;
        }
        var mantissa = text[(negative ? 1 : 0)..e];
        var point = mantissa.IndexOf('.');
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var digits = (point < 0 ? mantissa : mantissa[..point]) + fraction;
        var scale = Math.Max(0, fraction.Length - exponent);
        var shift = exponent - fraction.Length; // the value is digits × 10^shift
        string whole, decimals;
        if (shift >= 0)
        {
            (whole, decimals) = (digits + new string('0', shift), "");
        }
        else
        {
            var padded = digits.PadLeft(-shift + 1, '0');
            (whole, decimals) = (padded[..^(-shift)], padded[^(-shift)..]);
        }
        whole = whole.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
        decimals = decimals.Length >= scale ? decimals[..scale] : decimals.PadRight(scale, '0');
        var zero = whole == "0" && decimals.TrimEnd('0').Length == 0;
        return (negative && !zero ? "-" : "") + whole + (scale > 0 ? "." + decimals : "");
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
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
        utf8.IndexOfAny((byte)'"', (byte)'\\') >= 0 || Encoder.FindFirstCharacterToEncodeUtf8(utf8) >= 0;

    /// <summary>Whether an escaped string is escaped exactly as the canonical form escapes it (a line break as <c>\n</c>, ...).</summary>
    private static bool EscapedAsWeWould(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = reader.CopyString(rented);
            return JsonEncodedText.Encode(rented.AsSpan(0, length), Encoder).EncodedUtf8Bytes.SequenceEqual(raw);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false; // not text the canonical form can hold as it is (a lone surrogate): the rewrite decides
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A number <see cref="EmitNumber"/> writes back unchanged: an integer, or a decimal of at most 28 digits that is not a negative zero.</summary>
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
}
