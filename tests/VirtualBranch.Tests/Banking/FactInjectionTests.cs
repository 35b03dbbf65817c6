using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>Facts the Host records itself (documents) cannot be injected through signals or resumes, by anyone.</summary>
public sealed class FactInjectionTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Loan = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 500000, termMonths = 36 };

    [Fact]
    public async Task a_document_fact_cannot_be_signalled_nor_resumed_with_another_cases_file_or_one_never_uploaded()
    {
        var other = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        await other.RunToEndAsync(stopBeforeStep: "documents");
        var otherFile = TestMedia.Png(11);
        (await other.UploadAsync(other.Teller, "id-card", otherFile, "image/png", "id.png")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var otherSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(otherFile));

        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        var waiting = await driver.RunToEndAsync(stopBeforeStep: "documents");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        object Fact(string sha) => new
        {
            documentId = Guid.NewGuid(), kind = "id-card", sha256 = sha, size = 100, mediaType = "image/png", fileName = "id.png", uploadedBy = "teller",
        };

        var core = await host.ClientFor("corebanking");
        var supervisor = await host.ClientFor("supervisor");
        foreach (var (client, sha) in new[] { (core, otherSha), (supervisor, otherSha), (core, new string('b', 64)), (supervisor, new string('c', 64)) })
        {
            var problem = await (await client.PostAsJsonAsync($"/api/cases/{driver.CaseId}/signals/document", Fact(sha))).Problem(HttpStatusCode.Conflict);
            problem.GetProperty("detail").GetString()!.ShouldContain("recorded by the bank's own system");
        }
        var resumed = await (await supervisor.Resume(driver.CaseId, waiting.Bookmark("documents"), Fact(otherSha))).Problem(HttpStatusCode.Forbidden);
        resumed.GetProperty("title").GetString().ShouldBe("Not your step");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);

        // The only way in is an upload to this case, and the case then names the file it stored.
        (await driver.UploadAsync(driver.Teller, "id-card", otherFile, "image/png", "id.png")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var view = await driver.Teller.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/workbench");
        view.GetProperty("documents").EnumerateArray().Single().GetProperty("sha256").GetString().ShouldBe(otherSha);
    }
}
