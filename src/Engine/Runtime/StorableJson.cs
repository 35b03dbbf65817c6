using System.Globalization;
using System.Text.Json;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// Whether JSON sent with a command can be kept as evidence exactly as it is chained. PostgreSQL's jsonb keeps only
/// one of two equal names, cannot hold the character U+0000, and writes a number too large for the canonical form's
/// decimal (<c>1e29</c>) in plain digits: each would leave a stored event that no longer matches its hash (or fail
/// the write), so such input is refused with the place it is at.
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
                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name) || property.Name.Contains('\0', StringComparison.Ordinal)
                        || !Storable(property.Value))
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
                return !value.GetString()!.Contains('\0', StringComparison.Ordinal);
            case JsonValueKind.Number:
                return !UnkeepableNumber(value.GetRawText());
            default:
                return true;
        }
    }

    private static bool UnkeepableNumber(string raw) =>
        raw.AsSpan().IndexOfAny('e', 'E') >= 0 && !decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static void Check(JsonElement value, string pointer, List<FieldError> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    var at = $"{pointer}/{property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!names.Add(property.Name))
                    {
                        problems.Add(new FieldError(at, $"The name '{property.Name}' appears more than once in this object; send it once."));
                    }
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
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
            case JsonValueKind.String when value.GetString()!.Contains('\0', StringComparison.Ordinal):
                problems.Add(new FieldError(pointer, "Text cannot contain the character U+0000."));
                break;
            case JsonValueKind.Number when value.GetRawText() is var raw && UnkeepableNumber(raw):
                problems.Add(new FieldError(pointer, $"The number {raw} is too large to keep exactly with an exponent; write it in plain digits."));
                break;
        }
    }
}
