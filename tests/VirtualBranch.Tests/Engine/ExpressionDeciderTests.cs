using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

public sealed class ExpressionDeciderTests
{
    private static CaseScenario Opened(string condition)
    {
        var flow = new FlowBuilder()
            .Activity("check", "decision", new { condition })
            .Activity("yes", "end").Activity("no", "end")
            .Connect("start", "done", "check").Connect("check", "true", "yes").Connect("check", "false", "no").Build();
        var scenario = new CaseScenario(flow);
        scenario.Given(scenario.Open(new { amount = 10 }));
        return scenario;
    }

    [Theory]
    [InlineData("data.missing.field > 1", "failed")]
    [InlineData("while (true) {}", "statements")]
    [InlineData("(function () { var a = []; while (true) { a.push('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'); } })()", "")]
    [InlineData("Math.random() > 0.5", "Math.random")]
    [InlineData("new Intl.DateTimeFormat().format(new Date())", "Intl.DateTimeFormat")]
    [InlineData("(function f() { return f(); })()", "")]
    public void given_hostile_or_failing_expression_when_case_runs_then_step_faults_with_clear_error(string condition, string mention)
    {
        var scenario = Opened(condition);
        scenario.State!.Status.ShouldBe(CaseStatus.Faulted);
        var failed = scenario.History.OfType<StepFailed>().Single();
        failed.StepId.ShouldBe("check");
        failed.Error.ShouldStartWith("The expression");
        failed.Error.ShouldContain(mention);
    }

    [Fact]
    public void given_faulted_step_when_supervisor_retries_then_it_runs_again_and_teller_cannot_retry()
    {
        var scenario = Opened("data.missing.field > 1");
        scenario.Refused(new RetryStep("check", CaseScenario.Teller, CaseScenario.T0), RejectionKind.Forbidden);
        scenario.Refused(new RetryStep("other", CaseScenario.Supervisor, CaseScenario.T0), RejectionKind.Conflict);
        var events = scenario.Then(new RetryStep("check", CaseScenario.Supervisor, CaseScenario.T0));
        CaseScenario.Names(events).First().ShouldBe("StepRetried");
        scenario.State!.Status.ShouldBe(CaseStatus.Faulted, "the data still lacks the field, so it fails again");
        scenario.History.OfType<StepFailed>().Count().ShouldBe(2);
    }

    [Fact]
    public void expressions_read_data_vars_steps_and_the_command_time_but_cannot_change_them()
    {
        var evaluator = EngineKit.Get<VirtualBranch.Engine.Expressions.IExpressionEvaluator>();
        var data = JsonSerializer.SerializeToElement(new { amount = 7 });
        var scope = new VirtualBranch.Engine.Expressions.ExpressionScope(data, new Dictionary<string, JsonElement>(), null,
            new Dictionary<string, JsonElement>(), CaseScenario.T0);
        evaluator.Evaluate("data.amount * 6", scope).GetInt32().ShouldBe(42);
        evaluator.Evaluate("now", scope).GetString().ShouldBe("2026-11-26T09:00:00.0000000Z");
        evaluator.Evaluate("data.amount = 99; data.amount", scope).GetInt32().ShouldBe(99, "the script sees its own copy");
        data.GetProperty("amount").GetInt32().ShouldBe(7);
        Should.Throw<VirtualBranch.Engine.Expressions.ExpressionException>(() => evaluator.Evaluate("System.IO.File.ReadAllText('/etc/passwd')", scope));
    }

    [Fact]
    public void replay_of_the_events_gives_the_same_state_bit_for_bit()
    {
        var scenario = new CaseScenario(WaitingDeciderTests.ForkOfTwo());
        scenario.Given(scenario.Open(new { x = 1 }), scenario.Resume("a.1", new { note = "ok" }), new FireTimer("b.1", CaseScenario.T0.AddDays(1)));
        var replayed = CaseEvolver.Fold(scenario.History)!;
        JsonSerializer.Serialize(replayed).ShouldBe(JsonSerializer.Serialize(scenario.State));
        replayed.Version.ShouldBe(scenario.History.Count);
    }
}
