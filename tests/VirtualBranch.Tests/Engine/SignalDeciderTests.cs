using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary>Signals carry only what the outside world knows: a wait-for-signal step names the signal and the role it comes from.</summary>
public sealed class SignalDeciderTests
{
    private static readonly Actor DocumentUpload = new("document-upload", "system");

    private static FlowBuilder Confirm(string? from) => new FlowBuilder()
        .Activity("confirm", "wait-for-signal", from is null ? new { signal = "disbursed" } : new { signal = "disbursed", from })
        .Activity("ok", "end").Connect("start", "done", "confirm").Connect("confirm", "received", "ok");

    private static readonly WorkflowDefinition Documents = new FlowBuilder()
        .Activity("documents", "document-collection", new { checklist = new[] { new { kind = "id-card", required = true, mediaTypes = new[] { "image/png" }, maxBytes = 1000 } } })
        .Activity("ok", "end").Chain("start", "documents", "ok").Build();

    private static object Upload(string sha) => new
    {
        documentId = Guid.NewGuid(), kind = "id-card", sha256 = sha, size = 10, mediaType = "image/png", fileName = "id.png", uploadedBy = "teller-li",
    };

    private static readonly string AnyHash = new('a', 64);

    [Fact]
    public void given_document_collection_waiting_when_another_system_signals_a_document_then_nothing_waits_and_nothing_is_recorded()
    {
        var scenario = new CaseScenario(Documents);
        scenario.Given(scenario.Open());
        scenario.Refused(new SendSignal("document", CaseScenario.Json(Upload(AnyHash)), CoreBanking, T0), RejectionKind.Conflict).Detail.ShouldContain("wait-for-signal");
    }

    [Fact]
    public void given_document_collection_waiting_when_a_supervisor_signals_a_document_then_nothing_waits_and_nothing_is_recorded()
    {
        var scenario = new CaseScenario(Documents);
        scenario.Given(scenario.Open());
        scenario.Refused(new SendSignal("document", CaseScenario.Json(Upload(AnyHash)), Supervisor, T0), RejectionKind.Conflict);
    }

    [Fact]
    public void given_document_collection_waiting_when_a_supervisor_resumes_it_then_not_their_step()
    {
        var scenario = new CaseScenario(Documents);
        scenario.Given(scenario.Open());
        scenario.Refused(scenario.Resume("documents.1", Upload(AnyHash), Supervisor), RejectionKind.Forbidden);
    }

    [Fact]
    public void given_document_collection_waiting_when_the_host_records_an_upload_then_the_document_is_collected()
    {
        var scenario = new CaseScenario(Documents);
        scenario.Given(scenario.Open());
        Names(scenario.Then(scenario.Resume("documents.1", Upload(AnyHash), DocumentUpload))).ShouldContain("DocumentCollected");
    }

    [Fact]
    public void given_signal_from_system_when_a_supervisor_stands_in_then_received()
    {
        var scenario = new CaseScenario(Confirm(null).Build());
        scenario.Given(scenario.Open());
        scenario.Then(new SendSignal("disbursed", CaseScenario.Json(new { }), Supervisor, T0));
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_signal_from_supervisor_when_another_system_sends_it_then_forbidden_and_nothing_is_recorded()
    {
        var scenario = new CaseScenario(Confirm("supervisor").Build());
        scenario.Given(scenario.Open());
        scenario.Refused(new SendSignal("disbursed", CaseScenario.Json(new { }), CoreBanking, T0), RejectionKind.Forbidden).Detail.ShouldContain("from 'supervisor'");
        scenario.Then(new SendSignal("disbursed", CaseScenario.Json(new { }), Supervisor, T0));
    }

    [Fact]
    public void given_a_signal_declared_from_a_teller_when_the_definition_is_read_then_it_is_refused()
    {
        var read = Confirm("teller").Read();
        read.Definition.ShouldBeNull();
        read.Problems.ShouldHaveSingleItem().Path.ShouldEndWith("inputs.from");
    }
}
