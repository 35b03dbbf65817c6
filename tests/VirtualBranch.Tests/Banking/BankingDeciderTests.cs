using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Banking;

public sealed class BankingDeciderTests
{
    private static readonly object[] Questions = [new { id = "q1", text = "Own will?", expected = "yes" }, new { id = "q2", text = "Anyone prompting you?", expected = "no" }];

    private static CaseScenario Willingness(bool recorded)
    {
        var flow = new FlowBuilder().Activity("rec", "start-recording").Activity("will", "willingness-confirmation", new { questions = Questions })
            .Activity("ok", "end").Activity("no", "end", new { result = "declined" });
        flow = recorded ? flow.Chain("start", "rec", "will") : flow.Chain("start", "will").Connect("rec", "done", "will");
        var definition = recorded
            ? flow.Connect("will", "confirmed", "ok").Connect("will", "declined", "no").Build()
            : new FlowBuilder().Activity("will", "willingness-confirmation", new { questions = Questions }).Activity("ok", "end").Activity("no", "end", new { result = "declined" })
                .Connect("start", "done", "will").Connect("will", "confirmed", "ok").Connect("will", "declined", "no").Build();
        var scenario = new CaseScenario(definition);
        scenario.Given(scenario.Open());
        if (recorded)
        {
            scenario.Given(scenario.CustomerJoins()).Given(scenario.CustomerAnswers("rec.1", new { consent = true }));
        }
        return scenario;
    }

    private static object Answers(string second) => new
    {
        answers = new[] { new { questionId = "q1", answer = "yes", offsetMs = 1000 }, new { questionId = "q2", answer = second, offsetMs = 4000 } },
    };

    [Fact]
    public void given_no_recording_when_willingness_is_answered_then_refused_and_nothing_recorded()
    {
        var scenario = Willingness(recorded: false);
        scenario.Refused(scenario.Resume("will.1", Answers("no")), RejectionKind.Conflict).Detail.ShouldContain("must be recorded");
    }

    [Fact]
    public void given_recording_when_every_answer_is_expected_then_confirmed_with_offsets()
    {
        var scenario = Willingness(recorded: true);
        var events = scenario.Then(scenario.Resume("will.1", Answers("no")));
        events.OfType<VirtualBranch.Workflows.Willingness.WillingnessAnswerRecorded>().Select(a => a.OffsetMs).ShouldBe([1000L, 4000L]);
        events.OfType<VirtualBranch.Workflows.Willingness.WillingnessAnswerRecorded>().ShouldAllBe(a => a.RecordingId != null);
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_recording_when_an_answer_is_unexpected_then_declined_with_the_question()
    {
        var scenario = Willingness(recorded: true);
        var declined = scenario.Then(scenario.Resume("will.1", Answers("yes"))).OfType<VirtualBranch.Workflows.Willingness.WillingnessDeclined>().Single();
        declined.QuestionId.ShouldBe("q2");
        scenario.State!.Status.ShouldBe(CaseStatus.Declined);
    }

    [Fact]
    public void given_recording_when_the_teller_sees_prompting_then_declined_with_the_reason()
    {
        var scenario = Willingness(recorded: true);
        scenario.Then(scenario.Resume("will.1", new { promptedReason = "A man off camera dictates the answers." }));
        scenario.History.OfType<VirtualBranch.Workflows.Willingness.WillingnessDeclined>().Single().Reason.ShouldContain("dictates");
    }

    [Fact]
    public void given_recording_start_when_the_customer_refuses_then_the_case_ends_declined()
    {
        var flow = new FlowBuilder().Activity("rec", "start-recording").Activity("ok", "end").Chain("start", "rec", "ok").Build();
        var scenario = new CaseScenario(flow);
        scenario.Given(scenario.Open());
        scenario.Given(scenario.CustomerJoins());
        scenario.Then(scenario.CustomerAnswers("rec.1", new { consent = false }));
        scenario.State!.Status.ShouldBe(CaseStatus.Declined);
        scenario.History.OfType<VirtualBranch.Workflows.Media.RecordingConsentRefused>().ShouldHaveSingleItem();
    }

    [Fact]
    public void the_willingness_draw_from_the_pool_is_the_same_on_every_replay_and_differs_between_cases()
    {
        var pool = Enumerable.Range(1, 10).Select(i => new { id = $"p{i}", text = $"Pool {i}?", expected = "yes" }).ToArray();
        var definition = new FlowBuilder().Activity("will", "willingness-confirmation", new { questions = Questions, pool, draw = 3, mustBeRecorded = false })
            .Connect("start", "done", "will").Build();
        IReadOnlyList<string> Draw()
        {
            var scenario = new CaseScenario(definition);
            scenario.Given(scenario.Open());
            return [.. scenario.History.OfType<VirtualBranch.Workflows.Willingness.WillingnessScriptPresented>().Single().Questions.Select(q => q.Id)];
        }
        var first = Draw();
        first.Count.ShouldBe(5);
        Draw().ShouldBe(first);
    }
}
