using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>Every refusal a banking case can meet, each shown to leave the stream exactly as it was.</summary>
public sealed class RefusalTests(HostFixture host) : IClassFixture<HostFixture>
{
    private const string Id = "11010519491231002X";
    private static readonly object Loan = new { customerName = "张三", idNumber = Id, mobile = "13800138000", loanAmount = 500000, termMonths = 36 };

    [Fact]
    public async Task a_bad_resident_id_number_at_the_identity_step_is_refused()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        var waiting = await driver.RunToEndAsync(stopBeforeStep: "identity");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var problem = await (await driver.Teller.Resume(driver.CaseId, waiting.Bookmark("identity"),
            new { name = "张三", idNumber = "110105194912310021", idExpiry = "2036-01-01", faceMatch = true })).Problem(HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("path").GetString().ShouldBe("/idNumber");
        error.GetProperty("message").GetString()!.ShouldContain("GB 11643");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
    }

    [Fact]
    public async Task a_bad_credit_code_is_refused_when_the_case_is_opened()
    {
        var teller = await host.ClientFor("teller");
        var streams = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");
        var response = await teller.PostAsJsonAsync("/api/cases", new
        {
            definitionId = "corporate-account-opening",
            data = new { companyName = "示例", creditCode = "91350100M000100Y44", customerName = "李四", idNumber = Id, mobile = "13800138000" },
        });
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/creditCode");
        problem.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldContain("GB 32100");
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams")).ShouldBe(streams);
    }

    [Fact]
    public async Task a_supervisor_who_opened_the_case_cannot_approve_it()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan, opener: "supervisor");
        var waiting = await driver.RunToEndAsync(stopBeforeStep: "approval");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var own = await host.ClientFor("supervisor");
        var problem = await (await own.Resume(driver.CaseId, waiting.Bookmark("approval"), new { decision = "approve", reason = "mine" })).Problem(HttpStatusCode.Forbidden);
        problem.GetProperty("detail").GetString()!.ShouldContain("four eyes");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
        (await driver.Approver.Resume(driver.CaseId, waiting.Bookmark("approval"), new { decision = "approve", reason = "ok" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task bad_uploads_are_refused_and_leave_stream_and_store_unchanged()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        await driver.RunToEndAsync(stopBeforeStep: "documents");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var store = host.Services.GetService(typeof(VirtualBranch.Engine.Integrity.ICaseEvidence)) as VirtualBranch.Engine.Integrity.ICaseEvidence;
        async Task Refused(string kind, byte[] bytes, string type, string expect)
        {
            var response = await driver.UploadAsync(driver.Teller, kind, bytes, type, "file");
            var problem = await response.Problem(HttpStatusCode.BadRequest);
            JsonSerializer.Serialize(problem).ShouldContain(expect);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            (await store!.ExistsAsync(driver.CaseId, sha, TestContext.Current.CancellationToken)).ShouldBeFalse($"a refused {kind} upload must not stay in the store");
        }
        await Refused("id-card", TestMedia.Pdf("not an image"), "application/pdf", "must be image/jpeg or image/png");
        await Refused("id-card", [], "image/png", "empty");
        await Refused("id-card", [.. TestMedia.Png(8), .. new byte[5_000_001]], "image/png", "at most 5,000,000");
        await Refused("passport", TestMedia.Png(9), "image/png", "not on this step");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);

        (await driver.UploadAsync(driver.Teller, "id-card", TestMedia.Png(3), "image/png", "id.png")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var afterFirst = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var duplicate = await driver.UploadAsync(driver.Teller, "id-card", TestMedia.Png(3), "image/png", "id-again.png");
        JsonSerializer.Serialize(await duplicate.Problem(HttpStatusCode.BadRequest)).ShouldContain("already collected");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(afterFirst);
    }

    [Fact]
    public async Task recording_chunks_out_of_order_with_a_wrong_digest_or_after_sealing_are_refused()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = Id, mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var chunk = new byte[] { 1, 2, 3 };
        async Task<HttpResponseMessage> Put(int index, byte[] bytes, string? digest)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/recordings/{driver.RecordingId}/chunks/{index}") { Content = new ByteArrayContent(bytes) };
            if (digest is not null)
            {
                request.Headers.Add("Content-Digest", digest);
            }
            return await driver.Customer.SendAsync(request);
        }
        var next = driver.Recording.Chunk(1000).Count();
        (await Put(next + 1, chunk, TestMedia.Digest(chunk))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await Put(next, chunk, TestMedia.Digest([9]))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Put(next, chunk, null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var first = driver.Recording.Chunk(1000).First();
        (await Put(0, first, TestMedia.Digest(first))).StatusCode.ShouldBe(HttpStatusCode.OK, "the same chunk again is a no-op");
        (await Put(0, chunk, TestMedia.Digest(chunk))).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "chunk 0 already has other content");

        await driver.RunToEndAsync();
        (await Put(next, chunk, TestMedia.Digest(chunk))).StatusCode.ShouldBe(HttpStatusCode.Conflict, "the recording is sealed");
        var supervisor = await host.ClientFor("supervisor");
        (await supervisor.GetByteArrayAsync($"/api/recordings/{driver.RecordingId}")).ShouldBe(driver.Recording);
    }

    [Fact]
    public async Task a_customer_link_works_on_its_own_case_only()
    {
        var mine = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = Id, mobile = "13800138000" });
        var other = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "李四", idNumber = Id, mobile = "13800138000" });
        var otherWaiting = await other.RunToEndAsync(stopBeforeStep: "recording");
        var before = await StreamSnapshot.Of(host.Database, other.CaseId);
        (await mine.Customer.Resume(other.CaseId, otherWaiting.Bookmark("recording"), new { consent = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await mine.UploadAsync(mine.Customer, "id-card", TestMedia.Png(1), "image/png", "x.png")).StatusCode.ShouldNotBe(HttpStatusCode.Created);
        using var form = new MultipartFormDataContent { { new StringContent("id-card"), "kind" }, { new ByteArrayContent(TestMedia.Png(2)), "file", "x.png" } };
        (await mine.Customer.PostAsync($"/api/cases/{other.CaseId}/documents", form)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await mine.Customer.GetAsync($"/api/cases/{other.CaseId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await mine.Customer.PostAsJsonAsync("/api/cases", new { definitionId = "password-reset", data = new { } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StreamSnapshot.Of(host.Database, other.CaseId)).ShouldBe(before);
        var teller = mine.Teller;
        var waiting = await teller.GetCase(mine.CaseId);
        (await teller.Resume(mine.CaseId, waiting.Bookmark("video"), new { participants = new[] { new { role = "teller", name = "a" } } })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        _ = new AuthenticationHeaderValue("Bearer", "x");
    }
}
