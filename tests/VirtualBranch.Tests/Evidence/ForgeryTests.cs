using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// Forgeries that reach past the database: a bundle re-signed with another key, evidence files changed on disk, and the
/// whole checkpoint log rewritten with the bank's own key (caught by a reader who kept a checkpoint).
/// </summary>
public sealed class ForgeryTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly JsonElement InfoChange = JsonDocument.Parse(
        """{ "customerName": "张三", "idNumber": "11010519491231002X", "mobile": "13800138000", "field": "mobile", "newValue": "13900139000" }""").RootElement;

    private string BankPem => Path.Combine(host.DataDirectory, "trust-store.pem");

    private string TsaPem => Path.Combine(host.DataDirectory, "tsa.pem");

    private Task<(int Exit, string Output)> Cli(params string[] args) => host.RunCliAsync(args);

    private async Task<Guid> CompletedCase()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "吴十", amount = 10 });
        await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false });
        return opened.Id();
    }

    private async Task<string> Bundle(Guid id)
    {
        var regulator = await host.ClientFor("regulator");
        regulator.DefaultRequestHeaders.Add("X-Access-Reason", "inspection 2026-17");
        var file = Path.Combine(Directory.CreateTempSubdirectory("vb-bundle-").FullName, "case.zip");
        await File.WriteAllBytesAsync(file, await regulator.GetByteArrayAsync($"/api/cases/{id}/export"), TestContext.Current.CancellationToken);
        return file;
    }

    [Fact]
    public async Task a_genuine_bundle_verifies_offline_with_its_anchor_and_one_re_signed_with_another_key_is_refused_naming_the_signer()
    {
        var file = await Bundle(await CompletedCase());
        var (exit, output) = await Cli("verify-bundle", file, "--trust", BankPem, "--tsa", TsaPem);
        exit.ShouldBe(CliVerbs.Ok, output);
        output.ShouldContain("anchored by checkpoint");
        output.ShouldContain("time-stamped)");

        // The forger edits the manifest (who exported it) and signs it again with a key of their own, under the bank's name.
        var entries = Zips.Entries(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        entries["manifest.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(entries["manifest.json"]).Replace("\"regulator\"", "\"auditor\"", StringComparison.Ordinal));
        using var own = Insider.OwnKey();
        entries["manifest.json.p7s"] = Insider.Sign(entries["manifest.json"], own);
        await File.WriteAllBytesAsync(file, Zips.Of(entries), TestContext.Current.CancellationToken);
        (exit, output) = await Cli("verify-bundle", file, "--trust", BankPem);
        exit.ShouldBe(CliVerbs.Failed);
        // The console wraps long lines: compare without white space.
        string.Concat(output.Where(c => !char.IsWhiteSpace(c)))
            .ShouldContain($"(SHA-256{own.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}),whichisnotatrustedkey");
        // Trusting the forger's key by fingerprint does not help: the seal and the anchor are the bank's.
        (exit, output) = await Cli("verify-bundle", file, "--trust", own.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain("seal at version");
    }

    [Fact]
    public async Task an_altered_recording_and_a_removed_document_are_named_by_the_event_that_vouches_for_them()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "personal-info-change", InfoChange);
        (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed");
        var regulator = await host.ClientFor("regulator");
        var events = (await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray().ToList();
        string Vouched(string type) => events.First(e => e.GetProperty("type").GetString() == type).GetProperty("data").GetProperty("Evidence")[0].GetProperty("Sha256").GetString()!;
        long VersionOf(string type) => events.First(e => e.GetProperty("type").GetString() == type).GetProperty("version").GetInt64();
        var recording = await SealedCopies.PathAsync(host, driver.CaseId, Vouched("recording_sealed"));
        File.SetAttributes(recording, FileAttributes.Normal);
        var bytes = await File.ReadAllBytesAsync(recording, TestContext.Current.CancellationToken);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(recording, bytes, TestContext.Current.CancellationToken);

        var result = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/verify");
        result.GetProperty("intact").GetBoolean().ShouldBeFalse();
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(VersionOf("recording_sealed"));
        result.GetProperty("problem").GetString()!.ShouldStartWith("file altered: the recording");
        result.GetProperty("problem").GetString()!.ShouldEndWith($"(vouched for by version {VersionOf("recording_sealed")}, recording_sealed)");

        File.Delete(await SealedCopies.PathAsync(host, driver.CaseId, Vouched("document_collected")));
        var (exit, output) = await Cli("verify", driver.CaseId.ToString());
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain($"BROKEN at version {VersionOf("document_collected")}");
        output.ShouldContain("file missing");
    }

    [Fact]
    public async Task the_whole_checkpoint_log_rewritten_with_the_banks_key_is_caught_by_a_reader_who_kept_a_checkpoint()
    {
        var id = await CompletedCase();
        var supervisor = await host.ClientFor("supervisor");
        (await supervisor.PostAsync("/api/checkpoints", null)).EnsureSuccessStatusCode();
        var regulator = await host.ClientFor("regulator");
        async Task<JsonElement> Latest() => await regulator.GetFromJsonAsync<JsonElement>("/api/checkpoints/latest");
        var latest = await Latest();
        var kept = latest.GetProperty("keep").GetString()!;

        // An insider with the bank's key: rewrites an event, recomputes its chain and seal is beyond them, so they wipe
        // the log and let the Host anchor everything again, signed and stamped as genuine.
        await Insider.DropCheckpointGuardsAsync(host.Database);
        await host.Database.ExecuteAsync("delete from vb.vb_checkpoint_leaves; delete from vb.vb_checkpoints; delete from vb.vb_checkpoint_heads;");
        (await supervisor.PostAsync("/api/checkpoints", null)).EnsureSuccessStatusCode();
        // They write the new log up to the number the reader kept, or it is merely truncated: the earlier tests of this
        // class leave checkpoints, so the kept one is not always the first. Each new case gives the next one something to anchor.
        while ((await Latest()).GetProperty("number").GetInt64() < latest.GetProperty("number").GetInt64())
        {
            await (await host.ClientFor("teller")).OpenCase("service-request", new { customerName = "吴十", amount = 10 });
            (await supervisor.PostAsync("/api/checkpoints", null)).EnsureSuccessStatusCode();
        }

        var fresh = await regulator.GetFromJsonAsync<JsonElement>("/api/checkpoints/verify");
        fresh.GetProperty("intact").GetBoolean().ShouldBeTrue("without a kept checkpoint the new log looks whole");
        var checkedAgainstKept = await regulator.GetFromJsonAsync<JsonElement>($"/api/checkpoints/verify?known={kept}");
        checkedAgainstKept.GetProperty("intact").GetBoolean().ShouldBeFalse(checkedAgainstKept.ToString());
        checkedAgainstKept.GetProperty("problem").GetString()!.ShouldContain("the log was rewritten");
        var (exit, output) = await Cli("verify-checkpoints", "--known", kept);
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain("CHECKPOINTS BROKEN");
        (await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();
    }
}
