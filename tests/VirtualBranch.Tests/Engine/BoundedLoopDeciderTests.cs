using Shouldly;
using VirtualBranch.Engine.Activities.Control;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

/// <summary>Loops that never wait run as Elsa runs them, within the steps one command may pass.</summary>
public sealed class BoundedLoopDeciderTests
{
    /// <summary>Elsa's counter loop: count, then go round again through a decision until the count is reached.</summary>
    private static FlowBuilder CounterLoop(string condition) => new FlowBuilder().Variable("counter", 0)
        .Activity("count", "set-variable", new { variable = "counter", value = "vars.counter + 1" })
        .Activity("again", "decision", new { condition })
        .Activity("report", "set-output", new { name = "rounds", value = "vars.counter" })
        .Activity("finish", "end")
        .Connect("start", "done", "count").Connect("count", "done", "again")
        .Connect("again", "true", "count").Connect("again", "false", "report").Connect("report", "done", "finish");

    [Fact]
    public void given_a_counter_loop_when_opened_then_it_goes_round_until_the_condition_fails_and_gives_the_count_back()
    {
        var scenario = new CaseScenario(CounterLoop("vars.counter < 5").Build());
        var events = scenario.Then(scenario.Open());
        events.OfType<StepCompleted>().Count(c => c.StepId == "count" && c.Started is not null).ShouldBe(5, "each round starts and ends the step in one event");
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
        scenario.State.Variables["counter"].GetInt32().ShouldBe(5);
        events.OfType<OutputSet>().Single().ShouldSatisfyAllConditions(o => o.Name.ShouldBe("rounds"), o => o.Value.GetInt32().ShouldBe(5));
        CaseOutput.Of(scenario.State)["rounds"].GetInt32().ShouldBe(5);
    }

    [Fact]
    public void given_a_loop_that_never_ends_when_opened_then_the_step_past_the_default_bound_fails_with_the_reason()
    {
        var scenario = new CaseScenario(CounterLoop("true").Build());
        var events = scenario.Then(scenario.Open());
        events.OfType<StepCompleted>().Count(c => c.Started is not null).ShouldBe(1_000, "a thousand steps ran, each one event");
        var failed = events.OfType<StepFailed>().Single();
        failed.StepId.ShouldBe("again", "step 1 is start, then count and again take turns: count is every even step, so the 1,001st is again");
        failed.Error.ShouldBe("Step 'again' would be step 1,001 run in one command, past the limit of 1,000 (policies.maxStepsPerCommand): the flow loops without waiting.");
        scenario.State!.Status.ShouldBe(CaseStatus.Faulted);
        scenario.State.Variables["counter"].GetInt32().ShouldBe(500);
    }

    [Fact]
    public void given_a_bound_set_by_the_definition_when_the_loop_passes_it_then_that_bound_applies()
    {
        var scenario = new CaseScenario(CounterLoop("vars.counter < 30").Policies(new { maxStepsPerCommand = 20 }).Build());
        var failed = scenario.Then(scenario.Open()).OfType<StepFailed>().Single();
        failed.Error.ShouldContain("past the limit of 20 (policies.maxStepsPerCommand)");
        scenario.State!.Variables["counter"].GetInt32().ShouldBe(10);
    }
}
