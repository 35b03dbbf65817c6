using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace VirtualBranch.Engine.Schemas;

/// <summary>
/// A quick look at input that plainly fits its schema, so valid input (nearly all of it) skips JsonSchema.Net's
/// evaluation, which allocates results for every keyword. It only ever says "fits" where JsonSchema.Net would, using
/// JsonSchema.Net's own comparisons and formats; in doubt it says "not sure" and JsonSchema.Net decides and words the
/// refusal. A schema with a keyword it does not know gets no quick look at all.
/// </summary>
internal static class SchemaFastPass
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
        { "title", "description", "$comment", "examples", "default", "readOnly", "writeOnly", "deprecated" };

    // Keywords that let a subschema evaluate properties: a branch holding one would change what unevaluatedProperties sees.
    private static readonly string[] EvaluatesProperties =
        ["properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
         "$ref", "$dynamicRef", "dependentSchemas"];

    /// <summary>True only when the instance certainly fits; null when the schema is beyond the quick look.</summary>
    public static Func<JsonElement, bool>? Compile(JsonElement schema, FormatRegistry formats) => Node(schema, formats);

    private static Func<JsonElement, bool>? Node(JsonElement schema, FormatRegistry formats)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return static _ => true;
            case JsonValueKind.False:
                return static _ => false;
            case not JsonValueKind.Object:
                return null;
        }
        var checks = new List<Func<JsonElement, bool>>();
        foreach (var keyword in schema.EnumerateObject())
        {
            if (Annotations.Contains(keyword.Name) || keyword.Name is "additionalProperties" or "unevaluatedProperties")
            {
                continue; // the object check below takes these with properties
            }
            if ((keyword.Name == "properties" ? Properties(schema, formats) : Keyword(keyword.Name, keyword.Value, formats)) is not { } check)
            {
                return null;
            }
            checks.Add(check);
        }
        if (!schema.TryGetProperty("properties", out _) && (schema.TryGetProperty("additionalProperties", out _) || schema.TryGetProperty("unevaluatedProperties", out _)))
        {
            if (Properties(schema, formats) is not { } rest)
            {
                return null;
            }
            checks.Add(rest);
        }
        var all = checks.ToArray();
        return instance =>
        {
            foreach (var check in all)
            {
                if (!check(instance))
                {
                    return false;
                }
            }
            return true;
        };
    }

    private static Func<JsonElement, bool>? Keyword(string name, JsonElement value, FormatRegistry formats) => name switch
    {
        "type" => Type(value),
        "required" when value.ValueKind == JsonValueKind.Array => Required([.. value.EnumerateArray().Select(n => n.GetString()!)]),
        "enum" when value.ValueKind == JsonValueKind.Array => Enum([.. value.EnumerateArray()]),
        "const" => Enum([value]),
        "maxLength" when value.TryGetInt32(out var max) => i => i.ValueKind != JsonValueKind.String || i.GetString()!.Length <= max || TextElements(i.GetString()!, max + 1) <= max,
        "minLength" when value.TryGetInt32(out var min) => i => i.ValueKind != JsonValueKind.String || TextElements(i.GetString()!, min) >= min,
        "maxItems" when value.TryGetInt32(out var max) => i => i.ValueKind != JsonValueKind.Array || i.GetArrayLength() <= max,
        "minItems" when value.TryGetInt32(out var min) => i => i.ValueKind != JsonValueKind.Array || i.GetArrayLength() >= min,
        "maxProperties" when value.TryGetInt32(out var max) => i => i.ValueKind != JsonValueKind.Object || i.GetPropertyCount() <= max,
        "minProperties" when value.TryGetInt32(out var min) => i => i.ValueKind != JsonValueKind.Object || i.GetPropertyCount() >= min,
        "minimum" => Number(value, c => c >= 0),
        "maximum" => Number(value, c => c <= 0),
        "exclusiveMinimum" => Number(value, c => c > 0),
        "exclusiveMaximum" => Number(value, c => c < 0),
        "format" when value.ValueKind == JsonValueKind.String => Format(formats.Get(value.GetString()!)),
        "pattern" when value.ValueKind == JsonValueKind.String => Pattern(new Regex(value.GetString()!, RegexOptions.ECMAScript)),
        "items" when value.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False => Items(Node(value, formats)),
        "allOf" or "anyOf" when value.ValueKind == JsonValueKind.Array => Branches(name == "allOf", [.. value.EnumerateArray()], formats),
        _ => null,
    };

    private static Func<JsonElement, bool>? Type(JsonElement value)
    {
        string?[] names = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() : null)]
            : value.ValueKind == JsonValueKind.String ? [value.GetString()] : [null];
        if (names.Any(n => n is not ("object" or "array" or "string" or "number" or "integer" or "boolean" or "null")))
        {
            return null;
        }
        var set = names.ToHashSet();
        // As JsonSchema.Net's type keyword: a whole number is a number, and a number with no fraction an integer.
        return i => i.ValueKind switch
        {
            JsonValueKind.Object => set.Contains("object"),
            JsonValueKind.Array => set.Contains("array"),
            JsonValueKind.String => set.Contains("string"),
            JsonValueKind.True or JsonValueKind.False => set.Contains("boolean"),
            JsonValueKind.Null => set.Contains("null"),
            JsonValueKind.Number => set.Contains("number") || (set.Contains("integer") && i.TryGetDouble(out var d) && d == Math.Truncate(d)),
            _ => false,
        };
    }

    private static Func<JsonElement, bool> Required(string[] names) =>
        i => i.ValueKind != JsonValueKind.Object || names.All(n => i.TryGetProperty(n, out _));

    private static Func<JsonElement, bool> Enum(JsonElement[] values) =>
        i => values.Any(v => Json.More.JsonElementExtensions.IsEquivalentTo(v, i));

    private static Func<JsonElement, bool>? Number(JsonElement limit, Func<int, bool> fits) =>
        limit.ValueKind != JsonValueKind.Number ? null : i => i.ValueKind != JsonValueKind.Number || fits(JsonMath.NumberCompare(i, limit));

    private static Func<JsonElement, bool> Format(Json.Schema.Format format) => i => format.Validate(i, out _);

    private static Func<JsonElement, bool> Pattern(Regex regex) => i => i.ValueKind != JsonValueKind.String || regex.IsMatch(i.GetString()!);

    private static Func<JsonElement, bool>? Items(Func<JsonElement, bool>? item) =>
        item is null ? null : i => i.ValueKind != JsonValueKind.Array || i.EnumerateArray().All(item);

    private static Func<JsonElement, bool>? Branches(bool all, JsonElement[] branches, FormatRegistry formats)
    {
        // Branches that evaluate properties would change what unevaluatedProperties sees: beyond the quick look.
        if (branches.Any(b => b.ValueKind == JsonValueKind.Object && EvaluatesProperties.Any(k => b.TryGetProperty(k, out _))))
        {
            return null;
        }
        var checks = branches.Select(b => Node(b, formats)).ToArray();
        if (checks.Any(c => c is null))
        {
            return null;
        }
        return all ? i => checks.All(c => c!(i)) : i => checks.Any(c => c!(i));
    }

    /// <summary>properties, additionalProperties and unevaluatedProperties of one object schema, as one check of each member.</summary>
    private static Func<JsonElement, bool>? Properties(JsonElement schema, FormatRegistry formats)
    {
        if (schema.TryGetProperty("patternProperties", out _))
        {
            return null;
        }
        var declared = new Dictionary<string, Func<JsonElement, bool>>(StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var property in properties.EnumerateObject())
            {
                if (Node(property.Value, formats) is not { } check)
                {
                    return null;
                }
                declared[property.Name] = check;
            }
        }
        // With only property-neutral branches (Branches refuses the others), what properties does not evaluate goes to
        // additionalProperties, and what neither evaluates to unevaluatedProperties.
        Func<JsonElement, bool>? rest = static _ => true;
        if (schema.TryGetProperty("additionalProperties", out var additional))
        {
            rest = Node(additional, formats);
        }
        else if (schema.TryGetProperty("unevaluatedProperties", out var unevaluated))
        {
            rest = Node(unevaluated, formats);
        }
        if (rest is null)
        {
            return null;
        }
        return i =>
        {
            if (i.ValueKind != JsonValueKind.Object)
            {
                return true;
            }
            foreach (var member in i.EnumerateObject())
            {
                if (!(declared.TryGetValue(member.Name, out var check) ? check(member.Value) : rest(member.Value)))
                {
                    return false;
                }
            }
            return true;
        };
    }

    // Text elements (grapheme clusters), as JsonSchema.Net counts a string's length; counting stops at the bound.
    private static int TextElements(string text, int bound)
    {
        var count = 0;
        for (var span = text.AsSpan(); !span.IsEmpty && count < bound; count++)
        {
            span = span[StringInfo.GetNextTextElementLength(span)..];
        }
        return count;
    }
}
