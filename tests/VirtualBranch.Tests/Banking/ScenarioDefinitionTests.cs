using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Schemas;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Formats;

namespace VirtualBranch.Tests.Banking;

public sealed class ScenarioDefinitionTests
{
    public static readonly TheoryData<string> Scenarios =
        ["loan-face-signing", "corporate-account-opening", "password-reset", "personal-info-change", "dormant-account-reactivation", "wealth-product-sale"];

    public static string Folder => Path.Combine(VirtualBranch.Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "definitions");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void every_input_field_has_a_bilingual_title_and_a_valid_example(string id)
    {
        var definition = EngineKit.BankParser.Read(File.ReadAllText(Path.Combine(Folder, $"{id}.json"))).Definition.ShouldNotBeNull();
        var schemas = EngineKit.Get<SchemaValidator>();
        var example = new Dictionary<string, JsonElement>();
        foreach (var field in definition.Inputs.GetProperty("properties").EnumerateObject())
        {
            field.Value.GetProperty("title").GetString()!.ShouldContain(" / ", customMessage: $"{id}.{field.Name} needs a Chinese / English title");
            var value = field.Value.GetProperty("examples")[0];
            example[field.Name] = value;
        }
        schemas.Validate(definition.Inputs, JsonSerializer.SerializeToElement(example)).ShouldBeEmpty($"the examples of {id} must be a valid case");
    }

    [Theory]
    [InlineData("11010519491231002X", null)]
    [InlineData("110105194912310021", "check character should be X")]
    [InlineData("110105194913310020", "birth date")]
    [InlineData("11010519491231002", "17 digits")]
    public void resident_id_numbers_follow_gb_11643(string id, string? problem)
    {
        var found = ChineseIds.ResidentIdProblem(id);
        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Theory]
    [InlineData("91350100M000100Y43", null)]
    [InlineData("91350100M000100Y44", "check character should be 3")]
    [InlineData("91350100M00010OY43", "without I, O")]
    public void credit_codes_follow_gb_32100(string code, string? problem)
    {
        var found = ChineseIds.CreditCodeProblem(code);
        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Theory]
    [InlineData("cn-mobile", "\"13800138000\"", true)]
    [InlineData("cn-mobile", "\"12800138000\"", false)]
    [InlineData("iso-date", "\"2026-02-29\"", false)]
    [InlineData("iso-date", "\"2028-02-29\"", true)]
    [InlineData("cny-amount", "12.34", true)]
    [InlineData("cny-amount", "12.345", false)]
    [InlineData("cny-amount", "-1", false)]
    public void domain_formats_are_enforced_by_the_schema_validator(string format, string json, bool valid)
    {
        var schema = JsonDocument.Parse($$"""{ "format": "{{format}}" }""").RootElement;
        EngineKit.Get<SchemaValidator>().Validate(schema, JsonDocument.Parse(json).RootElement).Count.ShouldBe(valid ? 0 : 1);
    }
}
