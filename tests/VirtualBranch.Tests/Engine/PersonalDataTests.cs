using System.Security.Cryptography;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary>
/// Personal values sealed in stored events (crypto-shredding): which fields are personal, every string holding one is
/// sealed and opens again with the case's key, reads as erased without it, and does not open in another case. Erasure
/// itself is a decision: only the retention job, only a closed case past its retention, never under legal hold.
/// </summary>
public sealed class PersonalDataTests
{
    private static readonly Guid CaseA = Guid.Parse("0195f3a0-0000-7000-8000-0000000000aa");
    private static readonly Guid CaseB = Guid.Parse("0195f3a0-0000-7000-8000-0000000000bb");
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void a_field_is_personal_by_its_mark_or_its_format_and_the_mark_wins()
    {
        PersonalData.IsPersonal(Schema("""{ "type": "string", "x-personal": true }""")).ShouldBeTrue();
        PersonalData.IsPersonal(Schema("""{ "type": "string", "format": "cn-resident-id" }""")).ShouldBeTrue();
        PersonalData.IsPersonal(Schema("""{ "type": "string", "format": "cn-mobile" }""")).ShouldBeTrue();
        PersonalData.IsPersonal(Schema("""{ "type": "string", "format": "cn-mobile", "x-personal": false }""")).ShouldBeFalse("a bank's switchboard number is not a person's");
        PersonalData.IsPersonal(Schema("""{ "type": "string", "format": "cny-amount" }""")).ShouldBeFalse();
        PersonalData.IsPersonal(Schema("""{ "type": "string" }""")).ShouldBeFalse();
    }

    [Fact]
    public void the_personal_values_of_a_case_are_collected_through_nested_objects_and_arrays()
    {
        var schema = Schema("""
            { "type": "object", "properties": {
                "customerName": { "type": "string", "x-personal": true },
                "amount": { "type": "string" },
                "relatives": { "type": "array", "items": { "type": "object", "properties": { "mobile": { "type": "string", "format": "cn-mobile" } } } } } }
            """);
        var values = new HashSet<string>();
        PersonalData.Collect(schema, Schema("""{ "customerName": "欧阳娜娜", "amount": "100", "relatives": [{ "mobile": "13912345678" }, { "mobile": "1" }] }"""), values);
        values.Order(StringComparer.Ordinal).ToArray().ShouldBe(["13912345678", "欧阳娜娜"], "a one-character value is too short to seal by");
    }

    [Fact]
    public void every_string_holding_a_personal_value_is_sealed_and_opens_again_with_the_cases_key_only()
    {
        var json = """{"Name":"欧阳娜娜","IdNumber":"440304198503151231","Text":"本人欧阳娜娜同意","StepId":"identity","Amount":100}""";

        var stored = PersonalData.Seal(json, CaseA, ["440304198503151231", "欧阳娜娜"], KeyA);

        stored.ShouldNotContain("欧阳娜娜");
        stored.ShouldNotContain("440304198503151231");
        stored.ShouldContain("\"StepId\":\"identity\"", customMessage: "what is not personal stays readable");
        stored.ShouldContain("\"Amount\":100");
        var opened = JsonDocument.Parse(PersonalData.Reveal(stored, id => id == CaseA ? KeyA : null)!).RootElement;
        opened.GetProperty("Name").GetString().ShouldBe("欧阳娜娜");
        opened.GetProperty("Text").GetString().ShouldBe("本人欧阳娜娜同意");
        opened.GetProperty("IdNumber").GetString().ShouldBe("440304198503151231");

        var erased = JsonDocument.Parse(PersonalData.Reveal(stored, _ => null)!).RootElement;
        erased.GetProperty("Name").GetString().ShouldBe(PersonalData.Erased);
        erased.GetProperty("StepId").GetString().ShouldBe("identity");

        // Copied into another case's event, the sealed value is bound to case A: B's key does not open it, nor does A's key under B's id.
        var moved = stored.Replace(CaseA.ToString("N"), CaseB.ToString("N"));
        JsonDocument.Parse(PersonalData.Reveal(moved, _ => KeyA)!).RootElement.GetProperty("Name").GetString()!.ShouldStartWith(PersonalData.Prefix);
        PersonalData.Seal(json, CaseA, ["440304198503151231"], KeyA).ShouldNotBe(PersonalData.Seal(json, CaseA, ["440304198503151231"], KeyA),
            "each sealing takes a fresh nonce");
    }

    [Fact]
    public void text_with_no_personal_value_is_stored_as_it_came()
    {
        const string json = """{"StepId":"confirm","Outcome":"done"}""";
        PersonalData.Seal(json, CaseA, ["欧阳娜娜"], KeyA).ShouldBeSameAs(json);
        PersonalData.Reveal(json, _ => KeyA).ShouldBeNull();
    }

    [Fact]
    public void input_that_looks_sealed_is_refused_so_no_case_can_carry_another_cases_sealed_value()
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("first", "human-task", new { form = new { type = "object" } }).Activity("done", "end")
            .Chain("start", "first", "done").Build());
        var copied = $"{PersonalData.Prefix}{CaseB:N}:AAAA";
        scenario.Refused(scenario.Open(new { note = copied }), RejectionKind.Invalid).Errors.ShouldHaveSingleItem().Path.ShouldBe("/note");
        scenario.Given(scenario.Open(new { note = "vb:pii is fine inside a sentence" }));
        scenario.Refused(scenario.Resume("first.1", new { remark = copied }), RejectionKind.Invalid).Errors.ShouldHaveSingleItem().Message.ShouldContain("sealed personal value");
    }

    private static CaseScenario Closed(out DateTimeOffset closedAt)
    {
        var scenario = new CaseScenario(new FlowBuilder().Activity("first", "human-task", new { form = new { type = "object" } }).Activity("done", "end")
            .Chain("start", "first", "done").Build());
        scenario.Given(scenario.Open(), scenario.Resume("first.1"));
        closedAt = scenario.State!.ClosedAt!.Value;
        return scenario;
    }

    private static readonly Actor RetentionJob = new("retention", "system");
    private static readonly string File1 = new('a', 64);

    [Fact]
    public void given_a_closed_case_past_its_retention_when_the_retention_job_erases_then_the_erasure_is_recorded_with_its_files_once()
    {
        var scenario = Closed(out var closedAt);
        var at = closedAt.AddYears(VirtualBranch.Engine.Definitions.Retention.DefaultYears);

        var erased = scenario.Then(new ErasePersonalData("Retention ended.", [File1, File1], RetentionJob, at)).ShouldHaveSingleItem().ShouldBeOfType<PersonalDataErased>();

        (erased.Reason, erased.ErasedBy, erased.ErasedAt).ShouldBe(("Retention ended.", "retention", at));
        erased.Files.ShouldBe([File1]);
        scenario.State!.PersonalDataErasedAt.ShouldBe(at);
        scenario.Then(new ErasePersonalData("Again.", [], RetentionJob, at.AddDays(1))).ShouldBeEmpty("erasing twice changes nothing");
    }

    [Fact]
    public void given_a_case_on_hold_or_within_retention_or_open_when_erasing_then_nothing_is_erased_and_each_says_why()
    {
        var scenario = Closed(out var closedAt);
        var past = closedAt.AddYears(VirtualBranch.Engine.Definitions.Retention.DefaultYears).AddDays(1);

        scenario.Refused(new ErasePersonalData("r", [], RetentionJob, closedAt.AddYears(1)), RejectionKind.Conflict).Title.ShouldBe("Retention has not ended");
        scenario.Refused(new ErasePersonalData("r", [], Supervisor, past), RejectionKind.Forbidden).Title.ShouldBe("Retention only");
        scenario.Refused(new ErasePersonalData("r", ["not-a-hash"], RetentionJob, past), RejectionKind.Invalid).Errors.ShouldHaveSingleItem().Path.ShouldBe("/files/0");
        scenario.Given(new PlaceLegalHold("Court order 2026-17", Supervisor, past));
        scenario.Refused(new ErasePersonalData("r", [], RetentionJob, past), RejectionKind.Conflict).Title.ShouldBe("The case is on legal hold");
        scenario.Given(new ReleaseLegalHold("Order lifted", Supervisor, past));
        scenario.Then(new ErasePersonalData("r", [], RetentionJob, past)).ShouldHaveSingleItem().ShouldBeOfType<PersonalDataErased>();

        var open = new CaseScenario(new FlowBuilder().Activity("first", "human-task", new { form = new { type = "object" } }).Activity("done", "end")
            .Chain("start", "first", "done").Build());
        open.Given(open.Open());
        open.Refused(new ErasePersonalData("r", [], RetentionJob, past), RejectionKind.Conflict).Title.ShouldBe("The case is open");
    }
}
