using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary>A case assigned as it opens (round-robin): one decision, so the case never waits unassigned; the lock holds from its first step.</summary>
public sealed class AssignmentDeciderTests
{
    private static CaseScenario Scenario() => new(new FlowBuilder()
        .Activity("first", "human-task", new { form = new { type = "object" } }).Activity("done", "end")
        .Chain("start", "first", "done").Build());

    [Fact]
    public void given_nothing_when_a_case_opens_assigned_then_the_assignment_is_its_second_event_and_other_tellers_are_locked_out()
    {
        var scenario = Scenario();
        var events = scenario.Then(scenario.Open() with { AssignTo = new CaseAssignment("teller-zhao", "round-robin") });

        events.Take(2).Select(e => e.GetType().Name).ShouldBe(["CaseOpened", "CaseAssigned"]);
        var assigned = events.OfType<CaseAssigned>().Single();
        (assigned.Assignee, assigned.Strategy, assigned.AssignedBy, assigned.AssignedAt).ShouldBe(("teller-zhao", "round-robin", CaseDecider.Assigner, T0));
        scenario.State!.Assignee.ShouldBe("teller-zhao");
        scenario.State.Bookmarks.Keys.ShouldBe(["first.1"], "the flow ran on in the same decision");

        // The teller who opened it (Teller) is not the one it went to: the lock holds from the first step.
        scenario.Refused(scenario.Resume("first.1"), RejectionKind.Forbidden).Title.ShouldBe("Case locked");
        scenario.Then(scenario.Resume("first.1", actor: new Actor("teller-zhao", "teller"))).OfType<CaseCompleted>().ShouldHaveSingleItem();
    }

    [Fact]
    public void given_nothing_when_a_case_opens_without_an_assignment_then_it_waits_unassigned_for_any_teller()
    {
        var scenario = Scenario();
        scenario.Then(scenario.Open()).OfType<CaseAssigned>().ShouldBeEmpty();
        scenario.State!.Assignee.ShouldBeNull();
        CaseAccessRule.CanTake(scenario.State).ShouldBeTrue();
    }
}
