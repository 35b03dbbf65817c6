using System.Text.Json;
using Json.Schema;
using Shouldly;
using VirtualBranch.Engine.Schemas;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

/// <summary>The quick look at input must say "fits" exactly where JsonSchema.Net's evaluation does, and stay out of schemas it does not know.</summary>
public sealed class SchemaFastPassTests
{
    private static readonly FormatRegistry Formats = BankFormats();

    private static FormatRegistry BankFormats()
    {
        var registry = new FormatRegistry();
        foreach (var format in EngineKit.Get<IEnumerable<Format>>())
        {
            registry.Register(format);
        }
        return registry;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static TheoryData<string, string[]> SchemasAndInstances => new()
    {
        { """{ "type": "object", "required": ["name"], "properties": { "name": { "type": "string", "minLength": 2, "maxLength": 3 } } }""",
            ["""{ "name": "ab" }""", """{ "name": "abc" }""", """{ "name": "a" }""", """{ "name": "abcd" }""", """{}""", """{ "name": 1 }""",
             """{ "name": "ab", "other": 1 }""", "[]", "\"ab\"", """{ "name": "e\u0301e\u0301e\u0301" }""", """{ "name": "\r\n\r\n" }""",
             """{ "name": "👍🏽👍🏽👍🏽" }""", """{ "name": "👍🏽👍🏽👍🏽👍🏽" }""", """{ "name": "" }"""] },
        { """{ "type": "object", "properties": { "n": { "type": "integer", "minimum": 0, "maximum": 10 }, "x": { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5 } } }""",
            ["""{ "n": 0 }""", """{ "n": 10 }""", """{ "n": 10.0 }""", """{ "n": 11 }""", """{ "n": -1 }""", """{ "n": 2.5 }""", """{ "n": 1e1 }""",
             """{ "x": 0 }""", """{ "x": 0.0000001 }""", """{ "x": 1.5 }""", """{ "x": 1.49999 }""", """{ "x": "1" }""", """{ "n": 99999999999999999999 }"""] },
        { """{ "type": ["string", "null"], "enum": ["a", "b", null] }""", ["\"a\"", "\"c\"", "null", "1", "\"A\""] },
        { """{ "const": { "a": [1, 2] } }""", ["""{ "a": [1, 2] }""", """{ "a": [1.0, 2] }""", """{ "a": [2, 1] }""", """{ "a": [1, 2], "b": 0 }"""] },
        { """{ "type": "array", "minItems": 1, "maxItems": 2, "items": { "type": "boolean" } }""", ["[]", "[true]", "[true, false]", "[true, false, true]", "[1]", "{}"] },
        { """{ "type": "object", "minProperties": 1, "maxProperties": 2 }""", ["{}", """{ "a": 1 }""", """{ "a": 1, "b": 2 }""", """{ "a": 1, "b": 2, "c": 3 }"""] },
        { """{ "type": "object", "properties": { "a": { "type": "string" } }, "additionalProperties": { "type": "integer" } }""",
            ["""{ "a": "x", "b": 1 }""", """{ "a": "x", "b": "y" }""", """{ "b": 1.5 }"""] },
        { """{ "type": "string", "pattern": "^[A-Z]{2}\\d+$" }""", ["\"AB12\"", "\"ab12\"", "\"AB\"", "\"AB１２\"", "3"] },
        { """{ "type": "string", "format": "date-time" }""", ["\"2026-12-03T10:00:00Z\"", "\"2026-13-03T10:00:00Z\"", "\"yesterday\""] },
        { """{ "type": "object", "properties": { "id": { "type": "string", "format": "cn-resident-id" }, "phone": { "type": "string", "format": "cn-mobile" } } }""",
            ["""{ "id": "11010519491231002X" }""", """{ "id": "110105194912310021" }""", """{ "phone": "13800138000" }""", """{ "phone": "12345" }"""] },
        { """{ "type": "object", "properties": { "answers": { "type": "array" }, "reason": { "type": "string" } }, "anyOf": [ { "required": ["answers"] }, { "required": ["reason"] } ] }""",
            ["""{ "answers": [] }""", """{ "reason": "x" }""", "{}", """{ "answers": [], "other": 1 }""", """{ "reason": 1 }"""] },
        { """{ "allOf": [ { "type": "object", "required": ["a"] }, { "required": ["b"] } ] }""", ["""{ "a": 1, "b": 2 }""", """{ "a": 1 }""", "{}"] },
        { """{ "type": "object", "properties": { "inner": { "type": "object", "properties": { "v": { "type": "string", "maxLength": 2 } } } } }""",
            ["""{ "inner": { "v": "ab" } }""", """{ "inner": { "v": "abc" } }""", """{ "inner": { "w": 1 } }""", """{ "inner": 5 }"""] },
        { "true", ["1", "{}"] },
        { "false", ["1", "{}"] },
    };

    [Theory]
    [MemberData(nameof(SchemasAndInstances))]
    public void the_quick_look_agrees_with_json_schema_net_on_every_instance(string schemaText, string[] instances)
    {
        var limited = SchemaLimits.Apply(Json(schemaText));
        var library = JsonSchema.Build(limited, new BuildOptions());
        var options = new EvaluationOptions { FormatRegistry = Formats, RequireFormatValidation = true, OutputFormat = OutputFormat.Flag };
        var fits = SchemaFastPass.Compile(limited, Formats).ShouldNotBeNull();

        foreach (var text in instances)
        {
            var instance = Json(text);
            fits(instance).ShouldBe(library.Evaluate(instance, options).IsValid, $"{schemaText} against {text}");
        }
    }

    [Theory]
    [InlineData("""{ "oneOf": [ { "type": "string" }, { "type": "integer" } ] }""")]
    [InlineData("""{ "not": { "type": "string" } }""")]
    [InlineData("""{ "$defs": { "a": { "type": "string" } }, "$ref": "#/$defs/a" }""")]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "string" } }, "anyOf": [ { "properties": { "b": { "type": "string" } } } ] }""")]
    [InlineData("""{ "type": "object", "patternProperties": { "^x": { "type": "string" } } }""")]
    [InlineData("""{ "type": "number", "multipleOf": 0.5 }""")]
    [InlineData("""{ "type": "array", "uniqueItems": true }""")]
    public void a_schema_with_a_keyword_beyond_the_quick_look_is_left_to_json_schema_net(string schemaText) =>
        SchemaFastPass.Compile(SchemaLimits.Apply(Json(schemaText)), Formats).ShouldBeNull();

    [Fact]
    public void refusals_keep_json_schema_net_s_places_and_words()
    {
        var validator = EngineKit.Get<SchemaValidator>();
        var schema = Json("""{ "type": "object", "required": ["name"], "properties": { "name": { "type": "string", "maxLength": 3 } } }""");

        validator.Validate(schema, Json("""{ "name": "abc" }""")).ShouldBeEmpty();
        var error = validator.Validate(schema, Json("""{ "name": "abcd" }""")).ShouldHaveSingleItem();
        error.Path.ShouldBe("/name");
        error.Message.ShouldContain("3");
    }
}
