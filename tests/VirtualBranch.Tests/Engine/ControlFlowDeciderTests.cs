using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

public sealed class ControlFlowDeciderTests
{
    [Fact]
    public void given_start_to_end_when_opened_then_case_completes_in_one_command()
    {
        var flow = new FlowBuilder().Activity("finish", "end").Connect("start", "done", "finish").Build();
        var events = new CaseScenario(flow).Then(new CaseScenario(flow).Open());
        // A step that starts and ends in one command is one event, which carries the start.
        Names(events).ShouldBe(["CaseOpened", "StepCompleted", "StepCompleted", "CaseCompleted"]);
        events.OfType<StepCompleted>().Select(c => c.Started).ShouldBe([new StepStart("start", null), new StepStart("end", "start")]);
        events.OfType<CaseCompleted>().Single().Result.ShouldBe("completed");
    }

    [Theory]
    [InlineData(500_000, "big")]
    [InlineData(10, "small")]
    public void given_decision_when_opened_then_follows_condition(int amount, string expectedEnd)
    {
        var flow = new FlowBuilder()
            .Activity("large", "decision", new { condition = "data.amount > 100000" })
            .Activity("big", "end", new { result = "declined" }).Activity("small", "end")
            .Connect("start", "done", "large").Connect("large", "true", "big").Connect("large", "false", "small").Build();
        var scenario = new CaseScenario(flow);
        var events = scenario.Then(scenario.Open(new { amount }));
        Started(events).Last().ShouldBe(expectedEnd);
        scenario.State!.Status.ShouldBe(expectedEnd == "big" ? CaseStatus.Declined : CaseStatus.Completed);
    }

    [Theory]
    [InlineData("gold", "vip")]
    [InlineData("silver", "standard")]
    [InlineData("none", "other")]
    public void given_switch_when_opened_then_first_matching_case_wins(string tier, string expected)
    {
        var flow = new FlowBuilder()
            .Activity("route", "switch", new
            {
                cases = new object[]
                {
                    new { outcome = "vip", condition = "data.tier === 'gold'" },
                    new { outcome = "standard", condition = "data.tier === 'silver' || data.tier === 'gold'" },
                },
            })
            .Activity("vip", "end").Activity("standard", "end").Activity("other", "end")
            .Connect("start", "done", "route").Connect("route", "vip", "vip").Connect("route", "standard", "standard").Connect("route", "default", "other")
            .Build();
        var scenario = new CaseScenario(flow);
        Started(scenario.Then(scenario.Open(new { tier }))).Last().ShouldBe(expected);
    }

    [Fact]
    public void given_set_variable_and_note_when_opened_then_both_are_recorded_and_later_steps_see_the_variable()
    {
        var flow = new FlowBuilder().Variable("count", 1)
            .Activity("bump", "set-variable", new { variable = "count", value = "vars.count + 41" })
            .Activity("say", "note", new { message = "Counted." })
            .Activity("check", "decision", new { condition = "vars.count === 42" })
            .Activity("yes", "end").Activity("no", "end", new { result = "failed" })
            .Chain("start", "bump", "say", "check").Connect("check", "true", "yes").Connect("check", "false", "no").Build();
        var scenario = new CaseScenario(flow);
        var events = scenario.Then(scenario.Open());
        events.OfType<VariableSet>().Single().Value.GetInt32().ShouldBe(42);
        events.OfType<NoteRecorded>().Single().Message.ShouldBe("Counted.");
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_fork_into_two_tasks_when_both_resumed_then_join_all_goes_on_only_after_the_second()
    {
        var scenario = new CaseScenario(ForkJoin("all"));
        scenario.Given(scenario.Open());
        scenario.State!.Bookmarks.Keys.ShouldBe(["a.1", "b.1"]);
        var first = scenario.Then(scenario.Resume("a.1", new { ok = true }));
        // The join that still misses a branch does nothing but arrive: its start is the only event that says so.
        first.OfType<StepStarted>().Select(s => s.StepId).ShouldBe(["join"]);
        first.OfType<CaseCompleted>().ShouldBeEmpty();
        var second = scenario.Then(scenario.Resume("b.1", new { ok = true }, Supervisor));
        Names(second).ShouldContain("BranchesJoined");
        Started(second).ShouldBe(["join", "finish"]);
        second.OfType<StepStarted>().ShouldBeEmpty("the join that fires and the end each carry their start");
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_fork_into_two_tasks_when_one_resumed_then_join_any_goes_on_at_once()
    {
        var scenario = new CaseScenario(ForkJoin("any"));
        scenario.Given(scenario.Open());
        var events = scenario.Then(scenario.Resume("b.1", new { ok = true }, Supervisor));
        Started(events).ShouldBe(["join", "finish"]);
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
        scenario.State.Bookmarks.ShouldBeEmpty("reaching the end closes the other branch's wait");
    }

    [Fact]
    public void given_fork_with_synchronous_branches_when_opened_then_join_any_goes_on_once()
    {
        var flow = new FlowBuilder()
            .Activity("split", "fork", new { branches = new[] { "x", "y" } })
            .Activity("nx", "note", new { message = "x" }).Activity("ny", "note", new { message = "y" })
            .Activity("join", "join", new { mode = "any" }).Activity("count", "set-variable", new { variable = "n", value = "(vars.n || 0) + 1" })
            .Activity("wait", "human-task", new { form = new { type = "object" } })
            .Connect("start", "done", "split").Connect("split", "x", "nx").Connect("split", "y", "ny")
            .Connect("nx", "done", "join").Connect("ny", "done", "join").Chain("join", "count", "wait").Build();
        var scenario = new CaseScenario(flow);
        scenario.Then(scenario.Open()).OfType<VariableSet>().Count().ShouldBe(1);
    }

    internal static VirtualBranch.Engine.Definitions.WorkflowDefinition ForkJoin(string mode) => new FlowBuilder()
        .Activity("split", "fork", new { branches = new[] { "left", "right" } })
        .Activity("a", "human-task", new { form = new { type = "object" } })
        .Activity("b", "human-task", new { role = "supervisor", form = new { type = "object" } })
        .Activity("join", "join", new { mode }).Activity("finish", "end")
        .Connect("start", "done", "split").Connect("split", "left", "a").Connect("split", "right", "b")
        .Connect("a", "done", "join").Connect("b", "done", "join").Connect("join", "done", "finish").Build();
}
