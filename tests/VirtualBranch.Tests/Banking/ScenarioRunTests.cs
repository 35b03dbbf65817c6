using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

public sealed class ScenarioRunTests(HostFixture host) : IClassFixture<HostFixture>
{
    private const string Id = "11010519491231002X";

    public static readonly TheoryData<string, string> Runs = new()
    {
        { "loan-face-signing", """{ "customerName": "张三", "idNumber": "11010519491231002X", "mobile": "13800138000", "loanAmount": 500000, "termMonths": 36 }""" },
        { "corporate-account-opening", """{ "companyName": "示例科技有限公司", "creditCode": "91350100M000100Y43", "customerName": "李四", "idNumber": "11010519491231002X", "mobile": "13800138000" }""" },
        { "password-reset", """{ "customerName": "张三", "idNumber": "11010519491231002X", "mobile": "13800138000" }""" },
        { "personal-info-change", """{ "customerName": "张三", "idNumber": "11010519491231002X", "mobile": "13800138000", "field": "mobile", "newValue": "13900139000" }""" },
        { "dormant-account-reactivation", """{ "customerName": "王奶奶", "idNumber": "11010519491231002X", "mobile": "13800138000", "accountNumber": "6222020200112233445", "assisted": true }""" },
        { "wealth-product-sale", """{ "customerName": "张三", "idNumber": "11010519491231002X", "mobile": "13800138000", "productCode": "WM2026-018", "productRisk": 3, "amount": 50000, "coolingOffHours": 0.0005 }""" },
    };

    private static readonly string[] LoanOrder =
    [
        "case_opened", "video_session_opened", "video_session_started", "recording_started", "recording_consent_given", "identity_verified",
        "willingness_script_presented", "willingness_answer_recorded", "willingness_confirmed", "document_collected", "documents_complete",
        "due_diligence_recorded", "approval_granted", "contract_presented", "contract_consent_given", "contract_signing_requested", "contract_signed",
        "recording_stop_requested", "recording_sealed", "video_session_ended", "case_completed", "case_sealed",
    ];

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task each_scenario_runs_from_open_to_completed_with_a_sealed_recording_that_plays_back(string definitionId, string data)
    {
        var driver = await ScenarioDriver.OpenAsync(host, definitionId, JsonDocument.Parse(data).RootElement);
        var closed = await driver.RunToEndAsync();
        closed.GetProperty("status").GetString().ShouldBe("completed", closed.ToString());

        var regulator = await host.ClientFor("regulator");
        var events = (await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()!).ToList();
        var expected = LoanOrder.Where(t => definitionId == "loan-face-signing" || !t.StartsWith("approval", StringComparison.Ordinal) || definitionId == "corporate-account-opening")
            .Where(types.Contains).ToList();
        types.Where(expected.Contains).Distinct().ShouldBe(expected, $"domain events of {definitionId} in order");
        expected.ShouldContain("recording_sealed");
        expected.ShouldContain("identity_verified");

        var verify = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/verify");
        verify.GetProperty("intact").GetBoolean().ShouldBeTrue(verify.ToString());
        verify.GetProperty("filesChecked").GetInt32().ShouldBeGreaterThanOrEqualTo(1 + driver.Documents.Count);

        var supervisor = await host.ClientFor("supervisor");
        var played = await supervisor.GetByteArrayAsync($"/api/recordings/{driver.RecordingId}");
        played.ShouldBe(driver.Recording, "the sealed recording plays back byte-identical");
        var audit = await host.Database.ScalarAsync<string>(
            $"select string_agg(data ->> 'Operation', ' ' order by version) from vb.mt_events where stream_id = '{VirtualBranch.Host.Media.AuditedMediaAdapter.StreamFor(driver.RecordingId!.Value)}'");
        audit.ShouldNotBeNull("every media adapter call is audited");
        audit.Split(' ').ShouldContain("start-recording");
        audit.Split(' ').ShouldContain("chunk-0");
        audit.Split(' ').Last().ShouldBe("seal", "the seal, made by the intent handler after the commit, is audited too");
        var sealedEvent = events.Single(e => e.GetProperty("type").GetString() == "recording_sealed");
        sealedEvent.GetProperty("data").GetProperty("Evidence")[0].GetProperty("Sha256").GetString()
            .ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(driver.Recording)));
    }

    [Fact]
    public async Task a_recording_seeks_with_range_requests_and_a_regulator_must_say_why()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = Id, mobile = "13800138000" });
        await driver.RunToEndAsync();
        var supervisor = await host.ClientFor("supervisor");
        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{driver.RecordingId}");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        var part = await supervisor.SendAsync(ranged);
        part.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await part.Content.ReadAsByteArrayAsync()).ShouldBe(driver.Recording[100..200]);

        var regulator = await host.ClientFor("regulator");
        (await regulator.GetAsync($"/api/recordings/{driver.RecordingId}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await regulator.GetAsync($"/api/recordings/{driver.RecordingId}?reason=complaint%20review")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var log = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/access-log");
        log.EnumerateArray().ShouldContain(e => e.GetProperty("reason").GetString() == "complaint review");
        var teller2 = await host.ClientFor("teller2");
        (await teller2.GetAsync($"/api/recordings/{driver.RecordingId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "teller2 never worked this case");
    }
}
