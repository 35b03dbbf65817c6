using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Tests.Engine;

/// <summary>Input PostgreSQL would not keep exactly as it is chained is refused, each problem at its place.</summary>
public sealed class StorableJsonTests
{
    [Theory]
    [InlineData("""{"a":1,"b":[1.5,-0,1e3,1E+28,-2.5e-28,123456789012345678901234567890123,0.1234567890123456789012345678,"x"],"c":{"d":null}}""")]
    [InlineData("""{"text":"张三\n\"quoted\"","a/b":{"~":true}}""")]
    [InlineData("[]")]
    public void json_whose_chained_form_the_store_gives_back_has_no_problems(string json)
    {
        StorableJson.Problems(Parse(json)).ShouldBeEmpty();
    }

    [Fact]
    public void each_problem_is_reported_at_its_place()
    {
        var problems = StorableJson.Problems(Parse("""{"a":1,"a":2,"list":[{"note":"x\u0000y"}],"n":1e29,"a/b":{"m":-2.5E+40},"ok":1e3}"""));

        problems.Select(p => p.Path).ShouldBe(["/a", "/list/0/note", "/n", "/a~1b/m"]);
        problems[0].Message.ShouldContain("more than once");
        problems[1].Message.ShouldContain("U+0000");
        problems[2].Message.ShouldContain("1e29");
    }

    [Theory]
    [InlineData("""{"note":"\ud800"}""", "/note", "Unicode")]
    [InlineData("""{"\udc00":1}""", "/(member 0)", "Unicode")]
    [InlineData("""{"tiny":1e-40}""", "/tiny", "exponent")]
    [InlineData("""{"huge":1e-16384}""", "/huge", "exponent")]
    [InlineData("""{"rate":0.12345678901234567890123456789}""", "/rate", "28 significant digits")]
    [InlineData("""{"rate":1.2345678901234567890123456789e5}""", "/rate", "28 significant digits")]
    public void numbers_and_text_the_chain_would_not_protect_are_refused(string json, string path, string why)
    {
        var problems = StorableJson.Problems(Parse(json));

        problems.Select(p => p.Path).ShouldBe([path]);
        problems[0].Message.ShouldContain(why);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
