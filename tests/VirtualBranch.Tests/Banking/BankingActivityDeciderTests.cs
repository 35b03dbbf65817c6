using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Approval;
using VirtualBranch.Workflows.Documents;
using VirtualBranch.Workflows.DueDiligence;
using VirtualBranch.Workflows.ESign;
using VirtualBranch.Workflows.Identity;
using VirtualBranch.Workflows.Media;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Banking;

/// <summary>
/// Each banking activity against the pure decider, from a stream as the store holds it: given these events, when this
/// command, then these events (and a refusal leaves the state as it was). Willingness, start-recording and disruptions
/// have theirs in <see cref="BankingDeciderTests"/> and <see cref="DisruptionDeciderTests"/>.
/// </summary>
public sealed class BankingActivityDeciderTests
{
    private static readonly Guid RecordingId = Guid.Parse("0195f3a0-0000-7000-8000-0000000000a1");
    private static readonly Guid SessionId = Guid.Parse("0195f3a0-0000-7000-8000-0000000000b1");
    private static readonly Actor OtherSupervisor = new("supervisor-zhao", "supervisor");
    private static readonly RecordingStarted Recording = new(RecordingId, null, T0);

    private static object Identity(bool faceMatch = true) => new { name = "张三", idNumber = "11010519491231002X", idExpiry = "2036-01-01", faceMatch };

    // identity-check

    private static CaseScenario AtIdentity(bool recording)
    {
        var definition = new FlowBuilder().Activity("rec", "start-recording").Activity("id", "identity-check", new { maxAttempts = 2 })
            .Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Chain("start", "rec").Connect("rec", "done", "id").Connect("id", "verified", "ok").Connect("id", "retry", "id").Connect("id", "rejected", "no").Build();
        var scenario = new CaseScenario(definition);
        return recording
            ? scenario.GivenEvents(scenario.Opened(), Recording, scenario.Waiting("id", "teller", from: "rec"))
            : scenario.GivenEvents(scenario.Opened(), scenario.Waiting("id", "teller", from: "rec"));
    }

    [Fact]
    public void given_a_recorded_identity_check_when_the_teller_attests_a_valid_document_then_identity_is_verified_on_the_recording()
    {
        var scenario = AtIdentity(recording: true);
        var verified = scenario.Then(scenario.Resume("id.1", Identity())).OfType<IdentityVerified>().ShouldHaveSingleItem();
        (verified.IdNumber, verified.AttestedBy, verified.RecordingId).ShouldBe(("11010519491231002X", Teller.Id, (Guid?)RecordingId));
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_an_identity_check_outside_a_recording_when_the_teller_answers_then_refused()
    {
        var scenario = AtIdentity(recording: false);
        scenario.Refused(scenario.Resume("id.1", Identity()), RejectionKind.Conflict).Detail.ShouldContain("must be recorded");
    }

    [Fact]
    public void given_one_failed_attempt_when_the_face_does_not_match_again_then_identity_is_rejected_and_the_case_declined()
    {
        var scenario = AtIdentity(recording: true);
        scenario.GivenEvents(
            new IdentityRetryRequested("id", 1, "The face does not match the document.", T0),
            new StepCompleted("id", ["retry"], null, T0) { Resumed = new StepResume("id.1", CaseScenario.Json(Identity(faceMatch: false)), Teller.Id, Teller.Role) },
            new StepWaiting("id", "id.2", "identity-check", null, "teller", null, null, null, null, T0) { Started = new StepStart("identity-check", "id") });

        var rejected = scenario.Then(scenario.Resume("id.2", Identity(faceMatch: false))).OfType<IdentityRejected>().ShouldHaveSingleItem();

        rejected.Attempts.ShouldBe(2);
        scenario.State!.Status.ShouldBe(CaseStatus.Declined);
    }

    // due-diligence

    private static CaseScenario AtDueDiligence()
    {
        var questionnaire = new { type = "object", required = new[] { "source" }, properties = new { source = new { type = "string" } } };
        var scenario = new CaseScenario(new FlowBuilder().Activity("dd", "due-diligence", new { questionnaire }).Activity("ok", "end").Chain("start", "dd", "ok").Build());
        return scenario.GivenEvents(scenario.Opened(), scenario.Waiting("dd", "teller"));
    }

    [Fact]
    public void given_due_diligence_waits_when_the_teller_records_it_then_answers_findings_and_rating_are_recorded_and_the_rating_is_the_steps_output()
    {
        var scenario = AtDueDiligence();
        var recorded = scenario.Then(scenario.Resume("dd.1", new { answers = new { source = "salary" }, findings = "Income matches the payslips.", riskRating = "high" }))
            .OfType<DueDiligenceRecorded>().ShouldHaveSingleItem();
        (recorded.RiskRating, recorded.Answers.GetProperty("source").GetString(), recorded.RecordedBy).ShouldBe(("high", "salary", Teller.Id));
        scenario.State!.Outputs["dd"].GetProperty("riskRating").GetString().ShouldBe("high");
    }

    [Fact]
    public void given_due_diligence_waits_when_the_rating_is_not_one_of_the_three_or_an_answer_is_missing_then_refused()
    {
        var scenario = AtDueDiligence();
        scenario.Refused(scenario.Resume("dd.1", new { answers = new { source = "salary" }, findings = "ok", riskRating = "extreme" }), RejectionKind.Invalid);
        scenario.Refused(scenario.Resume("dd.1", new { answers = new { }, findings = "ok", riskRating = "low" }), RejectionKind.Invalid);
    }

    // approval

    /// <summary>A teller's step that supervisor Wang worked, then the approval.</summary>
    private static CaseScenario AtApproval()
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("task", "human-task", new { form = new { type = "object" }, role = "supervisor" })
            .Activity("ap", "approval").Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Chain("start", "task", "ap").Connect("ap", "approved", "ok").Connect("ap", "rejected", "no").Build());
        return scenario.GivenEvents(scenario.Opened(), scenario.Waiting("task", "supervisor"),
            new StepCompleted("task", ["done"], CaseScenario.Json(new { }), T0) { Resumed = new StepResume("task.1", CaseScenario.Json(new { }), Supervisor.Id, Supervisor.Role) },
            scenario.Waiting("ap", "supervisor", from: "task"));
    }

    [Fact]
    public void given_an_approval_when_a_supervisor_who_worked_the_case_approves_then_forbidden()
    {
        var scenario = AtApproval();
        scenario.Refused(scenario.Resume("ap.1", new { decision = "approve", reason = "fine" }, Supervisor), RejectionKind.Forbidden).Detail.ShouldContain("four eyes");
    }

    [Fact]
    public void given_an_approval_when_another_supervisor_approves_or_rejects_then_it_is_recorded_with_the_reason()
    {
        var approved = AtApproval();
        approved.Then(approved.Resume("ap.1", new { decision = "approve", reason = "Income verified." }, OtherSupervisor))
            .OfType<ApprovalGranted>().ShouldHaveSingleItem().ApprovedBy.ShouldBe(OtherSupervisor.Id);
        approved.State!.Status.ShouldBe(CaseStatus.Completed);

        var rejected = AtApproval();
        rejected.Then(rejected.Resume("ap.1", new { decision = "reject", reason = "Debt ratio too high." }, OtherSupervisor))
            .OfType<ApprovalRefused>().ShouldHaveSingleItem().Reason.ShouldBe("Debt ratio too high.");
        rejected.State!.Status.ShouldBe(CaseStatus.Declined);
    }

    // document-collection

    private static CaseScenario AtDocuments()
    {
        var checklist = new object[] { new { kind = "id-card", required = true }, new { kind = "payslip", required = true, mediaTypes = new[] { "application/pdf" }, maxBytes = 1000 } };
        var scenario = new CaseScenario(new FlowBuilder().Activity("docs", "document-collection", new { checklist }).Activity("ok", "end").Chain("start", "docs", "ok").Build());
        return scenario.GivenEvents(scenario.Opened(), scenario.Waiting("docs", "system"));
    }

    private static object Upload(string kind, string mediaType, char sha, long size = 500) => new
    {
        documentId = Guid.NewGuid(), kind, sha256 = new string(sha, 64), size, mediaType, fileName = $"{kind}.bin", uploadedBy = Teller.Id,
    };

    [Fact]
    public void given_documents_are_collected_when_each_required_kind_arrives_then_each_is_recorded_and_the_last_completes_the_step()
    {
        var scenario = AtDocuments();
        var first = scenario.Then(scenario.Resume("docs.1", Upload("id-card", "image/jpeg", 'a'), CoreBanking));
        first.OfType<DocumentCollected>().ShouldHaveSingleItem().Evidence[0].Sha256.ShouldBe(new string('a', 64));
        first.OfType<DocumentsComplete>().ShouldBeEmpty();
        var waiting = scenario.State!.Bookmarks.Values.ShouldHaveSingleItem();

        var last = scenario.Then(scenario.Resume(waiting.BookmarkId, Upload("payslip", "application/pdf", 'b'), CoreBanking));
        last.OfType<DocumentsComplete>().ShouldHaveSingleItem().Kinds.ShouldBe(["id-card", "payslip"]);
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Theory]
    [InlineData("payslip", "image/png", 500, "must be application/pdf")]
    [InlineData("payslip", "application/pdf", 5000, "at most 1,000")]
    [InlineData("payslip", "application/pdf", 0, "empty")]
    [InlineData("passport", "image/jpeg", 500, "not on this step's checklist")]
    public void given_documents_are_collected_when_a_file_the_checklist_does_not_take_arrives_then_refused(string kind, string mediaType, long size, string why)
    {
        var scenario = AtDocuments();
        var refused = scenario.Refused(scenario.Resume("docs.1", Upload(kind, mediaType, 'c', size), CoreBanking), RejectionKind.Invalid);
        refused.Errors.ShouldHaveSingleItem().Message.ShouldContain(why);
    }

    [Fact]
    public void given_a_document_was_collected_when_the_same_file_arrives_again_then_refused()
    {
        var scenario = AtDocuments();
        scenario.Given(scenario.Resume("docs.1", Upload("id-card", "image/jpeg", 'a'), CoreBanking));
        var waiting = scenario.State!.Bookmarks.Values.Single();
        scenario.Refused(scenario.Resume(waiting.BookmarkId, Upload("id-card", "image/jpeg", 'a'), CoreBanking), RejectionKind.Invalid)
            .Errors.ShouldHaveSingleItem().Message.ShouldContain("already collected");
    }

    // e-signature

    private static CaseScenario AtSignature()
    {
        var scenario = new CaseScenario(new FlowBuilder()
            .Activity("sign", "e-signature", new { title = "借款合同", template = "借款人 {{data.name}} 借款 {{data.amount}} 元。", mustBeRecorded = true })
            .Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Connect("start", "done", "sign").Connect("sign", "signed", "ok").Connect("sign", "declined", "no").Build());
        const string text = "借款人 张三 借款 50000 元。";
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        scenario.GivenEvents(scenario.Opened(new { name = "张三", amount = 50000 }), Recording,
            new ContractPresented("sign", "借款合同", text, sha, T0), scenario.Waiting("sign", "customer"));
        return scenario.Given(scenario.CustomerJoins());
    }

    private static object Seal => new
    {
        pdfSha256 = new string('d', 64), pdfSize = 20480, signatureSha256 = new string('e', 64), signatureSize = 1024, signer = "张三", signerCertificate = "CN=bank",
    };

    [Fact]
    public void given_the_contract_is_shown_when_the_customer_consents_then_the_bank_is_asked_to_seal_the_text_shown_and_its_seal_signs_the_contract()
    {
        var scenario = AtSignature();
        var consented = scenario.Then(scenario.CustomerAnswers("sign.1", new { consent = true }));
        var request = consented.OfType<ContractSigningRequested>().ShouldHaveSingleItem();
        (request.Text, request.Signer, request.BookmarkId).ShouldBe(("借款人 张三 借款 50000 元。", Customer.Id, "sign.1"));
        consented.OfType<ContractConsentGiven>().ShouldHaveSingleItem();

        var signed = scenario.Then(scenario.Resume("sign.1", Seal, CoreBanking)).OfType<ContractSigned>().ShouldHaveSingleItem();
        signed.Evidence.Select(e => (e.Kind, e.Sha256)).ShouldBe([("contract", new string('d', 64)), ("contract-signature", new string('e', 64))]);
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_the_contract_is_shown_when_the_customer_declines_then_the_case_ends_declined_and_nothing_is_sealed()
    {
        var scenario = AtSignature();
        var events = scenario.Then(scenario.CustomerAnswers("sign.1", new { consent = false }));
        events.OfType<ContractDeclined>().ShouldHaveSingleItem();
        events.OfType<ContractSigningRequested>().ShouldBeEmpty();
        scenario.State!.Status.ShouldBe(CaseStatus.Declined);
    }

    [Fact]
    public void given_the_contract_is_shown_when_the_teller_answers_for_the_customer_then_forbidden()
    {
        var scenario = AtSignature();
        scenario.Refused(scenario.Resume("sign.1", new { consent = true }, Teller), RejectionKind.Forbidden);
    }

    // video-session and end-video-session

    private static CaseScenario InVideo()
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("video", "video-session").Activity("task", "human-task", new { form = new { type = "object" } })
            .Activity("bye", "end-video-session").Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Connect("start", "done", "video").Connect("video", "started", "task").Connect("video", "expired", "no").Chain("task", "bye", "ok").Build());
        return scenario.GivenEvents(scenario.Opened(), new VideoSessionOpened(SessionId, "video", "resume", T0), scenario.Waiting("video", "teller"));
    }

    [Fact]
    public void given_the_video_room_is_open_when_the_teller_confirms_teller_and_customer_joined_then_the_session_starts_with_them()
    {
        var scenario = InVideo();
        var started = scenario.Then(scenario.Resume("video.1", new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } }))
            .OfType<VideoSessionStarted>().ShouldHaveSingleItem();
        started.Participants.Select(p => p.Role).ShouldBe(["teller", "customer"]);
        scenario.State!.Bookmarks.Values.ShouldHaveSingleItem().StepId.ShouldBe("task");
    }

    [Fact]
    public void given_the_video_room_is_open_when_the_teller_confirms_without_the_customer_then_refused()
    {
        var scenario = InVideo();
        scenario.Refused(scenario.Resume("video.1", new { participants = new[] { new { role = "teller", name = "李" }, new { role = "relative", name = "张四" } } }),
            RejectionKind.Invalid).Errors.ShouldHaveSingleItem().Message.ShouldContain("customer");
    }

    [Fact]
    public void given_a_session_in_progress_when_the_flow_reaches_its_end_then_the_session_it_opened_ends()
    {
        var scenario = InVideo();
        scenario.GivenEvents(
            new StepCompleted("video", ["started"], null, T0) { Resumed = new StepResume("video.1", CaseScenario.Json(new { }), Teller.Id, Teller.Role) },
            new VideoSessionStarted(SessionId, [new("teller", "李"), new("customer", "张三")], T0),
            scenario.Waiting("task", "teller", from: "video"));
        scenario.Then(scenario.Resume("task.1")).OfType<VideoSessionEnded>().ShouldHaveSingleItem().SessionId.ShouldBe(SessionId);
        scenario.State!.Status.ShouldBe(CaseStatus.Completed);
    }

    [Fact]
    public void given_no_video_session_when_the_flow_reaches_its_end_then_the_step_fails_with_the_reason()
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("task", "human-task", new { form = new { type = "object" } }).Activity("bye", "end-video-session")
            .Activity("ok", "end").Chain("start", "task", "bye", "ok").Build());
        scenario.GivenEvents(scenario.Opened(), scenario.Waiting("task", "teller"));
        scenario.Then(scenario.Resume("task.1")).OfType<StepFailed>().ShouldHaveSingleItem().Error.ShouldContain("No video session");
        scenario.State!.Status.ShouldBe(CaseStatus.Faulted);
    }

    // stop-recording

    private static CaseScenario AtStop()
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("stop", "stop-recording").Activity("ok", "end").Chain("start", "stop", "ok").Build());
        return scenario.GivenEvents(scenario.Opened(), Recording, scenario.Waiting("stop", "system"),
            new RecordingStopRequested(scenario.CaseId, "stop.1", RecordingId, T0));
    }

    private static object Segment(int index, int chunks, DateTimeOffset first, DateTimeOffset last, int? declared = null) => new
    {
        segment = index, sha256 = new string((char)('a' + index), 64), size = 1000 * chunks, chunks, declaredChunks = declared, firstChunkAt = first, lastChunkAt = last,
    };

    [Fact]
    public void given_the_recording_is_stopping_when_the_media_adapter_seals_two_segments_then_the_seal_records_each_with_the_gap_between()
    {
        var scenario = AtStop();
        var seal = new { mediaType = "video/webm", segments = new[] { Segment(0, 3, T0, T0.AddSeconds(30)), Segment(1, 2, T0.AddSeconds(40), T0.AddSeconds(60)) } };
        var sealedRecording = scenario.Then(scenario.Resume("stop.1", seal, CoreBanking, T0.AddMinutes(2))).OfType<RecordingSealed>().ShouldHaveSingleItem();
        (sealedRecording.RecordingId, sealedRecording.Chunks, sealedRecording.DurationMs).ShouldBe((RecordingId, 5, 120_000L));
        sealedRecording.Segments!.Select(s => s.GapBeforeMs).ShouldBe([0L, 10_000L]);
        sealedRecording.Evidence.ShouldAllBe(e => e.Kind == "recording" && e.MediaType == "video/webm");
        MediaFacts.ActiveRecording(scenario.State!).ShouldBeNull();
    }

    [Fact]
    public void given_the_recording_is_stopping_when_the_seal_holds_no_media_or_misses_chunks_then_the_step_fails_and_the_case_waits_for_a_supervisor()
    {
        var empty = AtStop();
        empty.Then(empty.Resume("stop.1", new { mediaType = "video/webm", segments = Array.Empty<object>() }, CoreBanking))
            .OfType<StepFailed>().ShouldHaveSingleItem().Error.ShouldContain("holds no media");
        empty.State!.Status.ShouldBe(CaseStatus.Faulted);

        var partial = AtStop();
        partial.Then(partial.Resume("stop.1", new { mediaType = "video/webm", segments = new[] { Segment(0, 3, T0, T0.AddSeconds(30), declared: 5) } }, CoreBanking))
            .OfType<StepFailed>().ShouldHaveSingleItem().Error.ShouldContain("5 chunks sent, 3 arrived");
        partial.History.OfType<RecordingSealed>().ShouldBeEmpty();
    }
}
