using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>An assigned case is locked to its teller for every write, not only resuming: cancel, customer link, uploads, recording chunks.</summary>
public sealed class CaseLockTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Loan = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 500000, termMonths = 36 };

    [Fact]
    public async Task another_teller_cannot_cancel_link_upload_or_record_on_a_locked_case_and_nothing_is_stored()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        var taken = await (await driver.Teller.PostAsync("/api/queue/next", null)).Content.ReadFromJsonAsync<JsonElement>();
        taken.Id().ShouldBe(driver.CaseId);
        await driver.RunToEndAsync(stopBeforeStep: "documents");
        var teller2 = await host.ClientFor("teller2");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var links = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_doc_customerlinkrecord");

        async Task Locked(HttpResponseMessage response) =>
            (await response.Problem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("worked by teller");

        await Locked(await teller2.PostAsJsonAsync($"/api/cases/{driver.CaseId}/cancel", new { reason = "not mine" }));
        await Locked(await teller2.PostAsync($"/api/cases/{driver.CaseId}/customer-link", null));
        var png = TestMedia.Png(7);
        await Locked(await driver.UploadAsync(teller2, "id-card", png, "image/png", "id.png"));
        var store = (ICaseEvidence)host.Services.GetService(typeof(ICaseEvidence))!;
        (await store.ExistsAsync(driver.CaseId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), TestContext.Current.CancellationToken)).ShouldBeFalse("a refused upload must not stay in the store");
        var next = driver.Recording.Chunk(1000).Count();
        var chunk = TestMedia.Webm(seconds: 1, seed: 9);
        await Locked(await teller2.SendAsync(TestMedia.ChunkRequest(driver.RecordingId!.Value, next, chunk)));

        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_doc_customerlinkrecord")).ShouldBe(links);

        // The case's customer and supervisors keep working on it.
        var stored = await (await driver.Customer.SendAsync(TestMedia.ChunkRequest(driver.RecordingId!.Value, next, chunk))).Content.ReadFromJsonAsync<JsonElement>();
        stored.GetProperty("status").GetString().ShouldBe("stored", "the refused chunk must not have been kept");
        (await driver.UploadAsync(driver.Customer, "id-card", png, "image/png", "id.png")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var supervisor = await host.ClientFor("supervisor");
        (await supervisor.PostAsync($"/api/cases/{driver.CaseId}/customer-link", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supervisor.PostAsJsonAsync($"/api/cases/{driver.CaseId}/cancel", new { reason = "customer withdrew" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

}
