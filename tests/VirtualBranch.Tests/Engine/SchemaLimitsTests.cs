using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Schemas;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

public sealed class SchemaLimitsTests
{
    private static readonly SchemaValidator Validator = EngineKit.Get<SchemaValidator>();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void a_string_without_max_length_takes_the_default_and_the_error_names_the_field_and_the_limit()
    {
        var schema = Json("""{ "type": "object", "properties": { "customerName": { "type": "string" } } }""");

        Validator.Validate(schema, Json(new { customerName = new string('x', SchemaLimits.MaxLength) })).ShouldBeEmpty();
        var error = Validator.Validate(schema, Json(new { customerName = new string('x', SchemaLimits.MaxLength + 1) })).ShouldHaveSingleItem();

        error.Path.ShouldBe("/customerName");
        error.Message.ShouldContain("1000");
    }

    [Fact]
    public void the_analysts_own_limits_win_in_both_directions()
    {
        var schema = Json("""
            { "type": "object", "additionalProperties": true, "properties": { "note": { "type": "string", "maxLength": 5000 },
              "code": { "type": "string", "maxLength": 3 }, "tags": { "type": "array", "maxItems": 500, "items": { "type": "string" } } } }
            """);

        Validator.Validate(schema, Json(new { note = new string('x', 4000), tags = Enumerable.Repeat("t", 400), extra = 1 })).ShouldBeEmpty();
        Validator.Validate(schema, Json(new { code = "abcd" })).ShouldHaveSingleItem().Path.ShouldBe("/code");
    }

    [Fact]
    public void an_array_without_max_items_takes_the_default()
    {
        var schema = Json("""{ "type": "object", "properties": { "ids": { "type": "array", "items": { "type": "integer" } } } }""");

        Validator.Validate(schema, Json(new { ids = Enumerable.Range(0, SchemaLimits.MaxItems) })).ShouldBeEmpty();
        Validator.Validate(schema, Json(new { ids = Enumerable.Range(0, SchemaLimits.MaxItems + 1) })).ShouldHaveSingleItem().Path.ShouldBe("/ids");
    }

    [Fact]
    public void properties_an_object_does_not_declare_are_refused_each_at_its_place()
    {
        var schema = Json("""{ "type": "object", "properties": { "consent": { "type": "boolean" } } }""");
        var extra = Enumerable.Range(0, 200).ToDictionary(i => $"x{i}", i => (object)i);
        extra["consent"] = true;

        var errors = Validator.Validate(schema, Json(extra));

        errors.Count.ShouldBe(200);
        errors.Select(e => e.Path).ShouldContain("/x199");
        errors[0].Message.ShouldContain("declares no such field");
    }

    [Fact]
    public void an_object_that_declares_no_properties_stays_open_but_bounded()
    {
        var schema = Json("""{ "type": "object" }""");

        Validator.Validate(schema, Json(Enumerable.Range(0, SchemaLimits.MaxItems).ToDictionary(i => $"x{i}", i => i))).ShouldBeEmpty();
        Validator.Validate(schema, Json(Enumerable.Range(0, 200_000).ToDictionary(i => $"x{i}", i => i))).ShouldHaveSingleItem().Path.ShouldBe("");
    }

    [Fact]
    public void properties_declared_in_a_branch_are_still_declared()
    {
        var schema = Json("""{ "type": "object", "properties": { "a": { "type": "string" } }, "allOf": [ { "properties": { "b": { "type": "integer" } } } ] }""");

        Validator.Validate(schema, Json(new { a = "x", b = 1 })).ShouldBeEmpty();
        Validator.Validate(schema, Json(new { a = "x", c = 1 })).ShouldHaveSingleItem().Path.ShouldBe("/c");
    }
}
