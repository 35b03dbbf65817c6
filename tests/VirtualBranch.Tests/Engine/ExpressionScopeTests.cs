using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

/// <summary>An expression sees its case's values exactly as JSON.parse would give them, and no other case's.</summary>
public sealed class ExpressionScopeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static JsonElement Evaluate(string expression, JsonElement data, Dictionary<string, JsonElement>? vars = null) =>
        EngineKit.Get<IExpressionEvaluator>().Evaluate(expression, new ExpressionScope(data, vars ?? [], null, new Dictionary<string, JsonElement>(), At));

    [Theory]
    [InlineData("""{ "a": 1, "b": [1.5, -0, 0, 1e308, 12345678901234567890, "x", true, false, null], "c": { "d": "é 👍🏽 \u0000 \ud800" } }""")]
    [InlineData("""{ "__proto__": { "polluted": true }, "1": "one", "0": "zero", "z": 1, "a": 2 }""")]
    [InlineData("""{ "twice": 1, "twice": 2, "\ud800": "lone", "n": -0.0, "big": 1e400, "small": -1e400 }""")]
    [InlineData("""[{ "a": [] }, {}, [[]], "", -1.25e-7]""")]
    public void given_case_data_when_an_expression_reads_it_then_it_sees_what_json_parse_of_its_text_gives(string text)
    {
        // Keys in order, own data properties, prototype, minus zero and Infinity: everything JSON.stringify alone would blur.
        const string Shape = "JSON.stringify([d, Object.keys(d), Object.getPrototypeOf(d) === Object.prototype || Array.isArray(d), " +
            "JSON.stringify(Object.getOwnPropertyDescriptors(d)), ({}).polluted, " +
            "Object.values(d).flatMap(v => Array.isArray(v) ? v : [v]).map(v => typeof v === 'number' ? String(Object.is(v, -0)) + String(v) : typeof v)])";
        var data = Json(text);

        var seen = Evaluate($"(d => {Shape})(data)", data);
        var parsed = Evaluate($"(d => {Shape})(JSON.parse({JsonSerializer.Serialize(data.GetRawText())}))", data);

        seen.GetString().ShouldBe(parsed.GetString());
    }

    [Fact]
    public void given_two_cases_evaluated_back_to_back_on_one_thread_then_neither_sees_the_others_values_or_leftovers()
    {
        const string Leak = "globalThis.leaked = data.secret; Object.prototype.planted = vars.mark; Math.random = () => 4; var declared = 1; data.secret";
        const string Look = "JSON.stringify([data.secret ?? null, vars.mark ?? null, typeof leaked, ({}).planted ?? null, typeof declared, " +
            "(() => { try { return Math.random(); } catch (e) { return 'no random'; } })()])";
        var first = Json("""{ "secret": "case one's" }""");
        var second = Json("""{ "other": 2 }""");

        Evaluate(Leak, first, new() { ["mark"] = Json("\"one\"") }).GetString().ShouldBe("case one's");
        var seen = Evaluate(Look, second, new() { ["other"] = Json("2") }).GetString();

        seen.ShouldBe("""[null,null,"undefined",null,"undefined","no random"]""");
    }
}
