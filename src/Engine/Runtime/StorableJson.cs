using System.Globalization;
using System.Text.Json;

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
    public static IReadOnlyList<FieldError> Problems(JsonElement value)
    {
        if (Storable(value))
        {
            return []; // the usual case, checked without building a pointer for every field
        }
        var problems = new List<FieldError>();
        Check(value, "", problems);
        return problems;
    }

    private static bool Storable(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var property in value.EnumerateObject())
                {
                    if (TextOf(() => property.Name) is not { } name || !(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name)
                        || name.Contains('\0', StringComparison.Ordinal) || !Storable(property.Value))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (!Storable(item))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.String:
                return TextOf(value.GetString) is { } text && !text.Contains('\0', StringComparison.Ordinal);
            case JsonValueKind.Number:
                return !UnkeepableNumber(value.GetRawText());
            default:
                return true;
        }
    }

    private static bool UnkeepableNumber(string raw) => NumberProblem(raw) is not null;

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

    /// <summary>The text of a string or name, or null when it is not valid Unicode (an escaped lone surrogate).</summary>
    private static string? TextOf(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void Check(JsonElement value, string pointer, List<FieldError> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                var position = 0;
                foreach (var property in value.EnumerateObject())
                {
                    var name = TextOf(() => property.Name);
                    var at = name is null ? $"{pointer}/(member {position})" : $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    position++;
                    if (name is null)
                    {
                        problems.Add(new FieldError(at, "A name is not valid Unicode (an escaped lone surrogate)."));
                    }
                    else if (!names.Add(name))
                    {
                        problems.Add(new FieldError(at, $"The name '{name}' appears more than once in this object; send it once."));
                    }
                    if (name?.Contains('\0', StringComparison.Ordinal) == true)
                    {
                        problems.Add(new FieldError(at, "A name cannot contain the character U+0000."));
                    }
                    Check(property.Value, at, problems);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, $"{pointer}/{index++}", problems);
                }
                break;
            case JsonValueKind.String when TextOf(value.GetString) is not { } text:
                problems.Add(new FieldError(pointer, "The text is not valid Unicode (an escaped lone surrogate)."));
                break;
            case JsonValueKind.String when TextOf(value.GetString)!.Contains('\0', StringComparison.Ordinal):
                problems.Add(new FieldError(pointer, "Text cannot contain the character U+0000."));
                break;
            case JsonValueKind.Number when NumberProblem(value.GetRawText()) is { } problem:
                problems.Add(new FieldError(pointer, problem));
                break;
        }
    }
}
