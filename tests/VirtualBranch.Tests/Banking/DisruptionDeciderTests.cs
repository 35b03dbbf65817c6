using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Banking;

/// <summary>A disruption of the video session, decided by the video step's policy (V-CIP): continue, restart, abort.</summary>
public sealed class DisruptionDeciderTests
{
    private static readonly object Form = new { form = new { type = "object", properties = new { ok = new { type = "boolean" } } } };

    private static CaseScenario InConfirmation(string policy)
    {
        var definition = new FlowBuilder()
            .Activity("video", "video-session", new { dropPolicy = policy, restartAt = "check", abortAt = "no" })
            .Activity("rec", "start-recording").Activity("check", "human-task", Form).Activity("confirm", "human-task", Form)
            .Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Connect("start", "done", "video").Connect("video", "started", "rec").Connect("video", "expired", "no").Chain("rec", "check", "confirm", "ok").Build();
        var scenario = new CaseScenario(definition);
        scenario.Given(scenario.Open()).Given(scenario.CustomerJoins());
        scenario.Given(scenario.Resume("video.1", new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } }));
        scenario.Given(scenario.CustomerAnswers("rec.1", new { consent = true }), scenario.Resume("check.1", new { ok = true }));
        return scenario;
    }

    private static ReportDisruption Dropped(Actor? by = null) => new("customer-left", "The customer's connection closed.", by ?? CoreBanking, T0.AddMinutes(5));

    [Fact]
    public void given_restart_when_the_customer_drops_mid_confirmation_then_the_case_goes_back_to_the_check_and_earlier_answers_are_superseded()
    {
        var scenario = InConfirmation("restart");
        var events = scenario.Then(Dropped());
        Names(events).Take(2).ShouldBe(["StepAbandoned", "SessionDisrupted"]);
        events.OfType<StepAbandoned>().Single().StepId.ShouldBe("confirm");
        var disrupted = events.OfType<SessionDisrupted>().Single();
        (disrupted.StepId, disrupted.Policy, disrupted.GoneTo).ShouldBe(("video", "restart", "check"));
        disrupted.Superseded.ShouldBe(["check", "confirm"]);
        scenario.State!.Bookmarks.Keys.ShouldBe(["check.2"]);
        scenario.State.Status.ShouldBe(CaseStatus.Running);
    }

    [Fact]
    public void given_abort_when_the_call_fails_then_the_flow_leaves_by_the_declined_step()
    {
        var scenario = InConfirmation("abort");
        scenario.Then(new ReportDisruption("connection-failed", "The call failed.", Teller, T0.AddMinutes(5)));
        scenario.State!.Status.ShouldBe(CaseStatus.Declined);
        scenario.History.OfType<SessionDisrupted>().Single().GoneTo.ShouldBe("no");
    }

    [Fact]
    public void given_continue_when_the_customer_drops_then_it_is_recorded_and_the_case_waits_where_it_was()
    {
        var scenario = InConfirmation("continue");
        Names(scenario.Then(Dropped())).ShouldBe(["SessionDisrupted"]);
        scenario.State!.Bookmarks.Keys.ShouldBe(["confirm.1"]);
    }

    [Fact]
    public void given_the_video_step_still_waiting_when_the_customer_leaves_then_nothing_is_recorded()
    {
        var definition = new FlowBuilder().Activity("video", "video-session", new { dropPolicy = "restart" }).Activity("ok", "end")
            .Connect("start", "done", "video").Connect("video", "started", "ok").Build();
        var scenario = new CaseScenario(definition);
        scenario.Given(scenario.Open());
        scenario.Then(Dropped()).ShouldBeEmpty("nobody was in a session yet");
    }

    [Fact]
    public void a_customer_cannot_report_a_disruption_nor_anyone_an_unknown_kind()
    {
        var scenario = InConfirmation("restart");
        scenario.Refused(Dropped(Customer), RejectionKind.Forbidden);
        scenario.Refused(new ReportDisruption("bored", "", Teller, T0), RejectionKind.Invalid).Errors.Single().Path.ShouldBe("/kind");
    }
}
