using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtualBranch.Engine.Schemas;

/// <summary>
/// Limits every schema has unless it declares its own, so no field of stored, hash-chained evidence is unbounded:
/// a string without <c>maxLength</c> gets <see cref="MaxLength"/>, an array without <c>maxItems</c> gets <see cref="MaxItems"/>,
/// an object that declares <c>properties</c> accepts only those unless it says otherwise (<c>additionalProperties</c>,
/// <c>unevaluatedProperties</c> or <c>patternProperties</c>), and an object that declares none holds at most <see cref="MaxItems"/>
/// properties. A value the schema declares always wins.
/// </summary>
public static class SchemaLimits
{
    public const int MaxLength = 1_000;
    public const int MaxItems = 100;

    private static readonly string[] SubschemaMaps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    private static readonly string[] SubschemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly string[] Subschemas = ["items", "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains"];
    private static readonly string[] Composition = ["allOf", "anyOf", "oneOf", "$ref", "if", "dependentSchemas"];

    /// <summary>The schema with the default limits added wherever it declares none.</summary>
    public static JsonElement Apply(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText());
        Tighten(node);
        return JsonSerializer.SerializeToElement(node);
    }

    private static void Tighten(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        // Marking a field personal is for storage (Integrity.PersonalData), not validation: the validator knows no such keyword.
        if (schema[Integrity.PersonalData.Keyword] is JsonValue marked && marked.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            schema.Remove(Integrity.PersonalData.Keyword);
        }
        if (Declares(schema, "string"))
        {
            schema.TryAdd("maxLength", MaxLength);
        }
        if (Declares(schema, "array"))
        {
            schema.TryAdd("maxItems", MaxItems);
        }
        if (Declares(schema, "object") && !schema.ContainsKey("additionalProperties") && !schema.ContainsKey("unevaluatedProperties") && !schema.ContainsKey("patternProperties"))
        {
            if (schema.ContainsKey("properties"))
            {
                // Properties declared in a branch or a reference are not seen by additionalProperties; unevaluatedProperties sees them.
                schema.Add(Composition.Any(schema.ContainsKey) ? "unevaluatedProperties" : "additionalProperties", false);
            }
            else
            {
                // A bare { "type": "object" } means "any object", not "the empty object": it stays open, but not endless.
                schema.TryAdd("maxProperties", MaxItems);
            }
        }
        foreach (var key in Subschemas)
        {
            Tighten(schema[key]);
        }
        foreach (var key in SubschemaLists)
        {
            foreach (var item in schema[key] as JsonArray ?? [])
            {
                Tighten(item);
            }
        }
        foreach (var key in SubschemaMaps)
        {
            foreach (var (_, item) in schema[key] as JsonObject ?? [])
            {
                Tighten(item);
            }
        }
    }

    private static bool Declares(JsonObject schema, string type) => schema["type"] switch
    {
        JsonValue value => value.TryGetValue<string>(out var single) && single == type,
        JsonArray types => types.Any(t => t is JsonValue v && v.TryGetValue<string>(out var one) && one == type),
        _ => false,
    };
}
