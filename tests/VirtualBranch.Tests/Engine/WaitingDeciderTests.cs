using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

public sealed class WaitingDeciderTests
{
    private static readonly VirtualBranch.Engine.Definitions.WorkflowDefinition Form = new FlowBuilder()
        .Activity("intake", "human-task", new
        {
            role = "teller",
            deadline = "PT30M",
            form = new { type = "object", required = new[] { "confirmed" }, properties = new { confirmed = new { type = "boolean" } } },
        })
        .Activity("finish", "end").Activity("late", "end", new { result = "failed", reason = "too late" })
        .Connect("start", "done", "intake").Connect("intake", "done", "finish").Connect("intake", "expired", "late").Build();

    [Fact]
    public void given_human_task_when_opened_then_it_waits_for_the_role_with_schema_and_deadline()
    {
        var scenario = new CaseScenario(Form);
        var waiting = scenario.Then(scenario.Open()).OfType<StepWaiting>().Single();
        waiting.BookmarkId.ShouldBe("intake.1");
        waiting.Role.ShouldBe("teller");
        waiting.Deadline.ShouldBe(T0.AddMinutes(30));
        waiting.InputSchema!.Value.GetProperty("required")[0].GetString().ShouldBe("confirmed");
    }

    [Fact]
    public void given_waiting_form_when_resumed_with_valid_input_then_output_is_kept_and_case_completes()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        var events = scenario.Then(scenario.Resume("intake.1", new { confirmed = true }));
        // One event says who resumed the step, with what, and how it ended; the end step's one event carries its start.
        Names(events).ShouldBe(["StepCompleted", "StepCompleted", "CaseCompleted"]);
        var answered = (StepCompleted)events[0];
        (answered.StepId, answered.Outcomes.Single(), answered.Started).ShouldBe(("intake", "done", null));
        (answered.Resumed!.BookmarkId, answered.Resumed.ResumedBy, answered.Resumed.Role).ShouldBe(("intake.1", Teller.Id, "teller"));
        answered.Resumed.Input.GetProperty("confirmed").GetBoolean().ShouldBeTrue();
        ((StepCompleted)events[1]).Started.ShouldBe(new StepStart("end", "intake"));
        scenario.State!.Outputs["intake"].GetProperty("confirmed").GetBoolean().ShouldBeTrue();
        scenario.State.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_waiting_form_when_resumed_with_invalid_input_then_refused_with_field_errors()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        var rejected = scenario.Refused(scenario.Resume("intake.1", new { confirmed = "yes" }), RejectionKind.Invalid);
        rejected.Errors.ShouldContain(e => e.Path == "/confirmed");
        scenario.Refused(scenario.Resume("intake.1", new { }), RejectionKind.Invalid).Errors.ShouldContain(e => e.Path == "/confirmed");
    }

    [Fact]
    public void given_teller_form_when_resumed_by_supervisor_then_forbidden()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        scenario.Refused(scenario.Resume("intake.1", new { confirmed = true }, Supervisor), RejectionKind.Forbidden);
    }

    [Fact]
    public void given_waiting_identity_check_when_resumed_twice_then_conflict()
    {
        var scenario = new CaseScenario(ForkOfTwo());
        scenario.Given(scenario.Open(), scenario.Resume("a.1", new { }));
        scenario.Refused(scenario.Resume("a.1", new { }), RejectionKind.Conflict).Detail.ShouldContain("already resumed");
    }

    [Fact]
    public void given_deadline_passed_when_timer_fires_then_deadline_outcome_is_followed()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        var events = scenario.Then(new FireTimer("intake.1", T0.AddMinutes(31)));
        Names(events).Take(2).ShouldBe(["DeadlineReached", "StepCompleted"]);
        scenario.State!.Status.ShouldBe(CaseStatus.Failed);
        scenario.State.ResultReason.ShouldBe("too late");
    }

    [Fact]
    public void given_step_resumed_when_timer_fires_later_then_nothing_happens()
    {
        var scenario = new CaseScenario(ForkOfTwo());
        scenario.Given(scenario.Open(), scenario.Resume("a.1", new { }));
        scenario.Then(new FireTimer("a.1", T0.AddDays(2))).ShouldBeEmpty();
    }

    [Fact]
    public void given_deadline_not_yet_reached_when_timer_fires_early_then_nothing_happens()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        scenario.Then(new FireTimer("intake.1", T0.AddMinutes(29))).ShouldBeEmpty();
        scenario.State!.Bookmarks.ShouldContainKey("intake.1");
    }

    [Fact]
    public void given_deadline_outcome_without_connection_when_timer_fires_then_case_expires()
    {
        var scenario = new CaseScenario(ForkOfTwo());
        scenario.Given(scenario.Open());
        Names(scenario.Then(new FireTimer("a.1", T0.AddHours(2)))).ShouldBe(["DeadlineReached", "CaseExpired"]);
        scenario.State!.Status.ShouldBe(CaseStatus.Expired);
        scenario.State.Bookmarks.ShouldBeEmpty();
    }

    [Fact]
    public void given_timer_when_it_fires_then_elapsed_is_followed_and_nobody_can_resume_it_by_hand()
    {
        var flow = new FlowBuilder().Activity("cool", "timer", new { duration = "P15D" }).Activity("finish", "end")
            .Connect("start", "done", "cool").Connect("cool", "elapsed", "finish").Build();
        var scenario = new CaseScenario(flow);
        scenario.Then(scenario.Open()).OfType<StepWaiting>().Single().Deadline.ShouldBe(T0.AddDays(15));
        scenario.Refused(scenario.Resume("cool.1", new { }, CoreBanking), RejectionKind.Forbidden);
        scenario.Then(new FireTimer("cool.1", T0.AddDays(15)));
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_wait_for_signal_when_signal_arrives_then_payload_is_validated_and_flow_goes_on()
    {
        var flow = new FlowBuilder()
            .Activity("confirm", "wait-for-signal", new { signal = "disbursed", payload = new { type = "object", required = new[] { "reference" } } })
            .Activity("finish", "end").Connect("start", "done", "confirm").Connect("confirm", "received", "finish").Build();
        var scenario = new CaseScenario(flow);
        scenario.Given(scenario.Open());
        scenario.Refused(new SendSignal("disbursed", CaseScenario.Json(new { }), CoreBanking, T0), RejectionKind.Invalid);
        scenario.Refused(new SendSignal("disbursed", CaseScenario.Json(new { reference = "R1" }), Teller, T0), RejectionKind.Forbidden);
        scenario.Refused(new SendSignal("other", CaseScenario.Json(new { reference = "R1" }), CoreBanking, T0), RejectionKind.Conflict);
        scenario.Then(new SendSignal("disbursed", CaseScenario.Json(new { reference = "R1" }), CoreBanking, T0));
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
        scenario.State.Outputs["confirm"].GetProperty("reference").GetString().ShouldBe("R1");
    }

    [Fact]
    public void given_waiting_case_when_cancelled_then_closed_and_later_commands_refused()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        scenario.Refused(new CancelCase(" ", Teller, T0), RejectionKind.Invalid);
        Names(scenario.Then(new CancelCase("Customer hung up", Teller, T0))).ShouldBe(["CaseCancelled"]);
        scenario.State!.Status.ShouldBe(CaseStatus.Cancelled);
        scenario.Refused(scenario.Resume("intake.1", new { confirmed = true }), RejectionKind.Conflict);
        scenario.Then(new FireTimer("intake.1", T0.AddDays(1))).ShouldBeEmpty();
    }

    [Fact]
    public void given_case_at_version_when_command_expects_another_version_then_conflict()
    {
        var scenario = new CaseScenario(Form);
        scenario.Given(scenario.Open());
        scenario.Refused(scenario.Resume("intake.1", new { confirmed = true }) with { ExpectedVersion = scenario.State!.Version - 1 }, RejectionKind.Conflict);
        scenario.Then(scenario.Resume("intake.1", new { confirmed = true }) with { ExpectedVersion = scenario.State!.Version });
    }

    [Fact]
    public void given_open_case_when_opened_again_then_conflict_and_data_is_checked_against_inputs()
    {
        var flow = new FlowBuilder().Inputs("""{ "type": "object", "required": ["amount"], "properties": { "amount": { "type": "number" } } }""")
            .Activity("finish", "end").Connect("start", "done", "finish").Build();
        var scenario = new CaseScenario(flow);
        scenario.Refused(scenario.Open(new { amount = "lots" }), RejectionKind.Invalid).Errors.Single().Path.ShouldBe("/amount");
        scenario.Given(scenario.Open(new { amount = 5 }));
        scenario.Refused(scenario.Open(new { amount = 5 }), RejectionKind.Conflict);
    }

    internal static VirtualBranch.Engine.Definitions.WorkflowDefinition ForkOfTwo() => new FlowBuilder()
        .Activity("split", "fork", new { branches = new[] { "left", "right" } })
        .Activity("a", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
        .Activity("b", "human-task", new { form = new { type = "object" } })
        .Connect("start", "done", "split").Connect("split", "left", "a").Connect("split", "right", "b").Build();
}
