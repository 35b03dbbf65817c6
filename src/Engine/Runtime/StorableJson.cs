using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// Whether JSON sent with a command can be kept as evidence exactly as it is chained. PostgreSQL's jsonb keeps only
/// one of two equal names and cannot hold the character U+0000 or a lone surrogate; the chain's canonical form keeps
/// 28 significant digits of a decimal, and an exponent far from zero is written out in thousands of digits or refused
/// by PostgreSQL. Each would leave a stored event that no longer matches its hash (or fail the write), so such input
/// is refused with the place it is at.
/// </summary>
public static class StorableJson
{
    private const string NotUnicode = "not valid Unicode (an escaped lone surrogate)";

    /// <summary>Each place in <paramref name="value"/> the store would not keep exactly, as a JSON pointer and a sentence.</summary>
    public static IReadOnlyList<FieldError> Problems(JsonElement value)
    {
        var problems = new List<FieldError>();
        Check(value, "", problems);
        return problems;
    }

    /// <summary>Why a plain text (a reason, a name) cannot be kept, or null when it can.</summary>
    public static string? TextProblem(string? text) =>
        text is null ? null
        : text.Contains('\0', StringComparison.Ordinal) ? "Text cannot contain the character U+0000."
        : text.StartsWith(Integrity.PersonalData.Prefix, StringComparison.Ordinal)
            ? $"Text cannot begin with '{Integrity.PersonalData.Prefix}': that marks a sealed personal value (another case's copied in would open here)."
            : null;

    private static void Check(JsonElement value, string pointer, List<FieldError> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                var position = 0;
                foreach (var property in value.EnumerateObject())
                {
                    var name = NameOf(property);
                    // The member's pointer is built only when something is reported at it or inside it.
                    string At() => name is null ? $"{pointer}/(member {position})" : $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (name is null)
                    {
                        problems.Add(new FieldError(At(), $"A name is {NotUnicode}."));
                    }
                    else if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        problems.Add(new FieldError(At(), $"The name '{name}' appears more than once in this object; send it once."));
                    }
                    if (name?.Contains('\0', StringComparison.Ordinal) == true)
                    {
                        problems.Add(new FieldError(At(), "A name cannot contain the character U+0000."));
                    }
                    Member(property.Value, At, problems);
                    position++;
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Member(item, () => $"{pointer}/{index}", problems);
                    index++;
                }
                break;
            default:
                if (ValueProblem(value) is { } problem)
                {
                    problems.Add(new FieldError(pointer, problem));
                }
                break;
        }
    }

    private static void Member(JsonElement value, Func<string> at, List<FieldError> problems)
    {
        if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            Check(value, at(), problems);
        }
        else if (ValueProblem(value) is { } problem)
        {
            problems.Add(new FieldError(at(), problem));
        }
    }

    private static string? ValueProblem(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when Plain(JsonMarshal.GetRawUtf8Value(value)) => null,
        JsonValueKind.String => StringOf(value) is { } text ? TextProblem(text) : $"The text is {NotUnicode}.",
        JsonValueKind.Number when FitsPlainly(JsonMarshal.GetRawUtf8Value(value)) => null,
        JsonValueKind.Number => NumberProblem(value.GetRawText()),
        _ => null,
    };

    // The parser refuses raw control characters, so a string with no escape and valid UTF-8 holds neither U+0000 nor a
    // lone surrogate; only the others are decoded to be looked at (and those that begin like a sealed value, to be refused).
    private static bool Plain(ReadOnlySpan<byte> raw) => !raw.Contains((byte)'\\') && !(raw.StartsWith(SealedMark) || raw is [(byte)'"', ..] && raw[1..].StartsWith(SealedMark)) && Utf8.IsValid(raw);

    private static readonly byte[] SealedMark = System.Text.Encoding.UTF8.GetBytes(Integrity.PersonalData.Prefix);

    // Most numbers are short plain integers or decimals: 28 characters cannot hold more than 28 significant digits or an exponent beyond ±28.
    private static bool FitsPlainly(ReadOnlySpan<byte> raw) => raw.Length <= 28 && !raw.ContainsAny((byte)'e', (byte)'E');

    /// <summary>
    /// Why a number cannot be kept exactly: an exponent beyond ±28 (PostgreSQL's numeric would write it out in up to
    /// 16,000 digits, or refuse it), or more than 28 significant digits with a fraction or an exponent (the chain's
    /// canonical form keeps 28 and would not protect the rest).
    /// </summary>
    private static string? NumberProblem(string raw)
    {
        var text = raw.AsSpan().TrimStart('-');
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0 && (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 28))
        {
            return $"The number {raw} has an exponent beyond ±28; write it in plain digits.";
        }
        var mantissa = e >= 0 ? text[..e] : text;
        if ((e >= 0 || mantissa.Contains('.')) && mantissa.ToString().Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length > 28)
        {
            return $"The number {raw} has more than 28 significant digits; the chain keeps 28, so send at most 28.";
        }
        return null;
    }

    // The text of a name or a string, or null when it is not valid Unicode.
    private static string? NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
