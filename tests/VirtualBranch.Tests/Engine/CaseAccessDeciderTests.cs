using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary><see cref="CaseAccessRule"/>: who may act on a case, as the decider applies it to resume and cancel.</summary>
public sealed class CaseAccessDeciderTests
{
    private static readonly Actor OtherTeller = new("teller-zhao", "teller");
    private static readonly Actor Customer = new("customer", "customer");

    private static readonly VirtualBranch.Engine.Definitions.WorkflowDefinition TellerStep = new FlowBuilder()
        .Activity("work", "human-task", new { form = new { type = "object" } }).Activity("ok", "end").Chain("start", "work", "ok").Build();

    private static readonly VirtualBranch.Engine.Definitions.WorkflowDefinition SystemStep = new FlowBuilder()
        .Activity("confirm", "wait-for-signal", new { signal = "disbursed" }).Activity("ok", "end")
        .Connect("start", "done", "confirm").Connect("confirm", "received", "ok").Build();

    private static CaseScenario AssignedTo(Actor teller, VirtualBranch.Engine.Definitions.WorkflowDefinition flow)
    {
        var scenario = new CaseScenario(flow);
        scenario.Given(scenario.Open(), new AssignCase(teller.Id, "first-come", teller, T0));
        return scenario;
    }

    [Fact]
    public void given_case_assigned_to_a_teller_when_another_teller_cancels_then_locked_and_nothing_recorded()
    {
        var scenario = AssignedTo(Teller, TellerStep);
        var refused = scenario.Refused(new CancelCase("not mine", OtherTeller, T0), RejectionKind.Forbidden);
        refused.Title.ShouldBe("Case locked");
        refused.Detail.ShouldContain("worked by teller-li");
    }

    [Fact]
    public void given_case_assigned_to_a_teller_when_another_teller_resumes_then_locked()
    {
        var scenario = AssignedTo(Teller, TellerStep);
        scenario.Refused(scenario.Resume("work.1", actor: OtherTeller), RejectionKind.Forbidden).Detail.ShouldContain("worked by teller-li");
    }

    [Fact]
    public void given_case_assigned_to_a_teller_when_its_teller_cancels_then_cancelled()
    {
        var scenario = AssignedTo(Teller, TellerStep);
        Names(scenario.Then(new CancelCase("customer left", Teller, T0))).ShouldBe(["CaseCancelled"]);
    }

    [Fact]
    public void given_case_assigned_to_a_teller_when_a_supervisor_cancels_then_cancelled()
    {
        var scenario = AssignedTo(OtherTeller, TellerStep);
        Names(scenario.Then(new CancelCase("fraud suspected", Supervisor, T0))).ShouldBe(["CaseCancelled"]);
    }

    [Fact]
    public void given_case_assigned_to_a_teller_when_its_teller_resumes_then_accepted()
    {
        var scenario = AssignedTo(OtherTeller, TellerStep);
        scenario.Then(scenario.Resume("work.1", actor: OtherTeller)).OfType<StepCompleted>().First().Resumed!.ResumedBy.ShouldBe(OtherTeller.Id);
    }

    [Fact]
    public void given_unassigned_case_waiting_for_a_teller_when_a_teller_who_never_touched_it_resumes_then_accepted()
    {
        var scenario = new CaseScenario(TellerStep);
        scenario.Given(scenario.Open());
        scenario.Then(scenario.Resume("work.1", actor: OtherTeller));
    }

    [Fact]
    public void given_unassigned_case_waiting_for_another_system_when_a_teller_who_never_touched_it_cancels_then_not_your_case()
    {
        var scenario = new CaseScenario(SystemStep);
        scenario.Given(scenario.Open());
        scenario.Refused(new CancelCase("tidy up", OtherTeller, T0), RejectionKind.Forbidden).Title.ShouldBe("Not your case");
    }

    [Fact]
    public void given_unassigned_case_waiting_for_another_system_when_the_teller_who_opened_it_cancels_then_cancelled()
    {
        var scenario = new CaseScenario(SystemStep);
        scenario.Given(scenario.Open());
        Names(scenario.Then(new CancelCase("customer withdrew", Teller, T0))).ShouldBe(["CaseCancelled"]);
    }

    [Fact]
    public void given_case_assigned_to_a_teller_then_its_customer_supervisors_and_other_systems_may_act_and_a_regulator_may_not()
    {
        var scenario = AssignedTo(Teller, TellerStep);
        CaseAccessRule.Refusal(scenario.State!, Customer).ShouldBeNull();
        CaseAccessRule.Refusal(scenario.State!, Supervisor).ShouldBeNull();
        CaseAccessRule.Refusal(scenario.State!, CoreBanking).ShouldBeNull();
        CaseAccessRule.Refusal(scenario.State!, new Actor("auditor", "regulator"))!.Kind.ShouldBe(RejectionKind.Forbidden);
        CaseAccessRule.Refusal(scenario.State!, OtherTeller)!.Kind.ShouldBe(RejectionKind.Forbidden);
    }
}
