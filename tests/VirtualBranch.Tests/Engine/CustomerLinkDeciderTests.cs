using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary><see cref="CustomerLinks"/>: staff issue and revoke the customer's link, only the customer opens it, and a customer's step needs their fresh confirmation.</summary>
public sealed class CustomerLinkDeciderTests
{
    private static readonly Actor OtherTeller = new("teller-zhao", "teller");

    private static readonly VirtualBranch.Engine.Definitions.WorkflowDefinition Consent = new FlowBuilder()
        .Activity("rec", "start-recording").Activity("ok", "end").Chain("start", "rec", "ok").Build();

    private static CaseScenario Opened()
    {
        var scenario = new CaseScenario(Consent);
        scenario.Given(scenario.Open());
        return scenario;
    }

    [Fact]
    public void given_an_open_case_when_the_teller_sends_a_link_and_the_customer_opens_it_then_each_step_is_recorded_with_who()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        Names(scenario.History.TakeLast(3)).ShouldBe(["CustomerLinkIssued", "CustomerLinkDelivered", "CustomerLinkRedeemed"]);
        scenario.History.OfType<CustomerLinkIssued>().Single().IssuedBy.ShouldBe(Teller.Id);
        scenario.State!.CustomerLink.ShouldBe(new CustomerLinkState(LinkId, T0.AddHours(2), Redeemed: true, Revoked: false));
        var folded = CaseEvolver.Fold(scenario.History)!;
        (folded.CustomerLink, folded.Version).ShouldBe((scenario.State.CustomerLink, scenario.State.Version), "the link's state folds back from its events");
    }

    [Fact]
    public void given_a_link_when_another_is_issued_then_the_first_is_revoked_and_its_sessions_no_longer_admitted()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        var events = scenario.Then(new IssueCustomerLink("link-2", "sms", "138****8000", T0.AddHours(3), Teller, T0.AddMinutes(5)));
        Names(events).ShouldBe(["CustomerLinkRevoked", "CustomerLinkIssued"]);
        events.OfType<CustomerLinkRevoked>().Single().LinkId.ShouldBe(LinkId);
        scenario.State!.CustomerLink!.Admits(LinkId).ShouldBeFalse();
        scenario.Refused(scenario.CustomerAnswers("rec.1", new { consent = true }), RejectionKind.Forbidden).Title.ShouldBe("Confirm it is you");
    }

    [Fact]
    public void given_a_link_when_staff_try_to_open_it_then_refused_and_nothing_recorded()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins()[..2]);
        scenario.Refused(new RedeemCustomerLink(LinkId, "one-time code", Teller, T0), RejectionKind.Forbidden).Title.ShouldBe("Only the customer");
        scenario.Refused(new RedeemCustomerLink(LinkId, "one-time code", Supervisor, T0), RejectionKind.Forbidden);
    }

    [Fact]
    public void given_an_opened_link_when_opened_again_or_after_it_expired_then_refused()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        scenario.Refused(new RedeemCustomerLink(LinkId, "one-time code", Customer, T0), RejectionKind.Conflict).Title.ShouldBe("Link already used");
        var late = Opened();
        late.Given(late.CustomerJoins()[..2]);
        late.Refused(new RedeemCustomerLink(LinkId, "one-time code", Customer, T0.AddHours(2)), RejectionKind.Conflict).Title.ShouldBe("Link expired");
    }

    [Fact]
    public void given_a_case_locked_to_a_teller_when_another_teller_sends_or_revokes_the_link_then_locked()
    {
        var scenario = Opened();
        scenario.Given(new AssignCase(Teller.Id, "first-come", Teller, T0));
        scenario.Given(scenario.CustomerJoins());
        scenario.Refused(new IssueCustomerLink("link-2", "sms", "138****8000", T0.AddHours(2), OtherTeller, T0), RejectionKind.Forbidden).Title.ShouldBe("Case locked");
        scenario.Refused(new RevokeCustomerLink("lost phone", OtherTeller, T0), RejectionKind.Forbidden).Title.ShouldBe("Case locked");
        scenario.Refused(new IssueCustomerLink("link-3", "sms", "138****8000", T0.AddHours(2), Customer, T0), RejectionKind.Forbidden);
    }

    [Fact]
    public void given_a_revoked_link_when_revoked_again_then_nothing_more_is_recorded()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        scenario.Then(new RevokeCustomerLink("lost phone", Teller, T0)).OfType<CustomerLinkRevoked>().Single().Reason.ShouldBe("lost phone");
        scenario.Then(new RevokeCustomerLink("lost phone", Teller, T0)).ShouldBeEmpty();
        scenario.Refused(new RevokeCustomerLink("  ", Supervisor, T0), RejectionKind.Invalid);
    }

    [Fact]
    public void given_a_customer_step_when_answered_without_a_fresh_confirmation_then_refused_and_nothing_recorded()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        var refused = scenario.Refused(scenario.Resume("rec.1", new { consent = true }, Customer), RejectionKind.Forbidden);
        refused.Detail.ShouldContain("code sent to your phone");
    }

    [Fact]
    public void given_a_customer_step_when_answered_with_a_confirmation_then_it_is_recorded_before_the_answer()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        var events = scenario.Then(scenario.CustomerAnswers("rec.1", new { consent = true }));
        Names(events).Take(2).ShouldBe(["CustomerConfirmed", "StepCompleted"]);
        ((StepCompleted)events[1]).Resumed!.ResumedBy.ShouldBe(Customer.Id);
        events.OfType<CustomerConfirmed>().Single().ShouldBe(new CustomerConfirmed("rec", "rec.1", LinkId, "one-time code via sms", T0.AddMinutes(1)));
    }

    [Fact]
    public void given_a_customer_step_when_staff_answer_it_then_refused_as_not_their_step()
    {
        var scenario = Opened();
        scenario.Given(scenario.CustomerJoins());
        scenario.Refused(scenario.Resume("rec.1", new { consent = true }, Teller), RejectionKind.Forbidden).Title.ShouldBe("Not your step");
    }
}
