using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

/// <summary>Expressions read the command's time and UTC, never the machine's clock or zone, so replay gives the same state.</summary>
public sealed class ExpressionClockTests
{
    // 23:30 UTC: any zone but UTC would show another hour, and most another day.
    private static readonly DateTimeOffset At = new(2026, 11, 26, 23, 30, 15, 250, TimeSpan.Zero);

    private static JsonElement Evaluate(string expression, DateTimeOffset now) =>
        EngineKit.Get<IExpressionEvaluator>().Evaluate(expression, new ExpressionScope(
            JsonSerializer.SerializeToElement(new { }), new Dictionary<string, JsonElement>(), null, new Dictionary<string, JsonElement>(), now));

    [Theory]
    [InlineData("new Date().toISOString()", "\"2026-11-26T23:30:15.250Z\"")]
    [InlineData("Date()", "\"Thu Nov 26 2026 23:30:15 GMT+0000 (Coordinated Universal Time)\"")]
    [InlineData("new Date().toString()", "\"Thu Nov 26 2026 23:30:15 GMT+0000 (Coordinated Universal Time)\"")]
    [InlineData("new Date().getTimezoneOffset()", "0")]
    [InlineData("new Date().getHours()", "23")]
    [InlineData("Date.now()", "1795735815250")]
    [InlineData("Date.now() === Date.parse(now) && new Date().getTime() === Date.now()", "true")]
    [InlineData("new Date().toLocaleString()", "\"11/26/2026, 11:30:15 PM\"")]
    [InlineData("Temporal.Now.instant().toString()", "\"2026-11-26T23:30:15.25Z\"")]
    [InlineData("Temporal.Now.timeZoneId()", "\"UTC\"")]
    [InlineData("Temporal.Now.plainDateTimeISO().toString()", "\"2026-11-26T23:30:15.25\"")]
    public void given_a_command_time_when_an_expression_reads_the_clock_then_it_gets_that_time_in_utc(string expression, string expected) =>
        Evaluate(expression, At).GetRawText().ShouldBe(expected);

    [Fact]
    public void given_an_expression_that_would_read_the_machines_zone_through_intl_when_evaluated_then_it_fails_and_says_why()
    {
        var failure = Should.Throw<ExpressionException>(() => Evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone", At));
        failure.Message.ShouldContain("Intl.DateTimeFormat is not available");
    }

    [Fact]
    public void given_two_commands_at_different_times_when_the_same_expression_runs_then_each_sees_its_own_time()
    {
        var later = At.AddDays(3).AddMilliseconds(1);
        const string Clock = "new Date().toISOString() + ' ' + Date.now()";
        var first = Evaluate(Clock, At).GetString();
        var second = Evaluate(Clock, later).GetString();
        var again = Evaluate(Clock, At).GetString();
        first.ShouldBe("2026-11-26T23:30:15.250Z 1795735815250");
        second.ShouldBe("2026-11-29T23:30:15.251Z 1795995015251");
        again.ShouldBe(first, "an earlier command's time is not kept by a cached script or engine");
    }

    [Fact]
    public void given_a_step_that_stores_the_clock_when_the_case_is_replayed_and_decided_again_later_then_events_and_state_are_bit_for_bit_equal()
    {
        var flow = new FlowBuilder()
            .Activity("review", "human-task", new { form = new { type = "object" } })
            .Activity("stamp", "set-variable", new { variable = "stampedAt", value = "new Date().toString() + ' | ' + Date() + ' | ' + Date.now() + ' | ' + new Date().toLocaleString()" })
            .Activity("finish", "end")
            .Chain("start", "review", "stamp", "finish").Build();
        var first = new CaseScenario(flow);
        var commands = new CaseCommand[] { first.Open(at: At), first.Resume("review.1", at: At.AddHours(1)) };
        first.Given(commands);

        // The value is the resume command's time, not the moment the decider ran, so deciding again later cannot differ.
        first.History.OfType<VariableSet>().Single().Value.GetString().ShouldBe(
            "Fri Nov 27 2026 00:30:15 GMT+0000 (Coordinated Universal Time) | Fri Nov 27 2026 00:30:15 GMT+0000 (Coordinated Universal Time) | 1795739415250 | 11/27/2026, 12:30:15 AM");
        var replayed = CaseEvolver.Fold(first.History)!;
        JsonSerializer.Serialize(replayed).ShouldBe(JsonSerializer.Serialize(first.State));

        var again = new CaseScenario(flow).Given(commands);
        JsonSerializer.Serialize(again.History).ShouldBe(JsonSerializer.Serialize(first.History));
        JsonSerializer.Serialize(again.State).ShouldBe(JsonSerializer.Serialize(first.State));
    }
}
