using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Cli;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Privacy;
using VirtualBranch.Tests.Banking;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// PIPL: a case's personal fields are stored sealed under the case's own key, so the database (and a dump of it) holds no
/// resident-id or mobile number in plain text, while every API reads them as given. When the case's retention ends
/// the retention sweep erases them: the key is destroyed, the evidence files deleted, an event records it; every API and
/// the export then read the fields as erased, and the case still verifies and folds. A case on legal hold is untouched
/// until the hold is released. A dry run lists and changes nothing.
/// </summary>
public sealed class PersonalDataErasureTests(ShiftedClockHostFixture host) : IClassFixture<ShiftedClockHostFixture>
{
    private const string Name = "欧阳娜娜";
    private const string IdNumber = "440304198503151231";
    private const string Mobile = "13912345678";
    private const string NewMobile = "13787654321";
    private static readonly object Data = new { customerName = Name, idNumber = IdNumber, mobile = Mobile, field = "mobile", newValue = NewMobile };
    private static readonly string[] Personal = [Name, IdNumber, Mobile, NewMobile];

    /// <summary>Longer than personal-info-change's five years of retention.</summary>
    private static readonly TimeSpan PastRetention = TimeSpan.FromDays(6 * 366);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<Guid> CompletedCaseAsync()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "personal-info-change", Data);
        (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed");
        return driver.CaseId;
    }

    private async Task<JsonElement> Get(string user, string path) => await (await host.ClientFor(user)).GetFromJsonAsync<JsonElement>(path, Cancellation);

    private async Task<long> RowsHolding(string text)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("select count(*) from vb.mt_events where strpos(data::text, $1) > 0", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = text });
        return (long)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    private async Task<IReadOnlyList<string>> FilesOf(Guid caseId) =>
        [.. (await Get("regulator", $"/api/cases/{caseId}/events")).EnumerateArray()
            .SelectMany(e => EvidenceFiles.In(Encoding.UTF8.GetBytes(e.GetProperty("data").GetRawText()))).Select(f => f.Sha256).Distinct()];

    [Fact]
    public async Task personal_fields_are_stored_sealed_read_as_given_and_a_database_dump_holds_no_id_or_mobile_number()
    {
        var id = await CompletedCaseAsync();

        var body = await Get("supervisor", $"/api/cases/{id}");
        body.GetProperty("data").GetProperty("customerName").GetString().ShouldBe(Name);
        body.GetProperty("data").GetProperty("idNumber").GetString().ShouldBe(IdNumber);
        var events = (await Get("regulator", $"/api/cases/{id}/events")).EnumerateArray().ToList();
        var identity = events.Single(e => e.GetProperty("type").GetString() == "identity_verified");
        identity.GetProperty("data").GetProperty("IdNumber").GetString().ShouldBe(IdNumber, "the identity check's copy is read as given");
        identity.GetProperty("stored").GetProperty("IdNumber").GetString()!.ShouldStartWith(PersonalData.Prefix, customMessage: "and stored sealed, as the chain has it");
        foreach (var value in Personal)
        {
            (await RowsHolding(value)).ShouldBe(0, $"no stored event holds {value} in plain text");
        }
        (await Get("regulator", $"/api/cases/{id}/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();

        var dump = await DumpAsync();
        dump.ShouldContain(id.ToString(), customMessage: "the dump is of this database");
        foreach (var value in new[] { IdNumber, Mobile, NewMobile })
        {
            dump.Split('\n').Where(l => l.Contains(value, StringComparison.Ordinal)).ShouldBeEmpty($"the dump holds {value}");
        }
    }

    [Fact]
    public async Task when_retention_ends_the_sweep_erases_everywhere_the_case_still_verifies_and_a_held_case_waits_for_its_release()
    {
        var erased = await CompletedCaseAsync();
        var held = await CompletedCaseAsync();
        var supervisor = await host.ClientFor("supervisor");
        (await supervisor.PostAsJsonAsync($"/api/cases/{held}/legal-hold", new { reason = "Court order 2026-17" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var files = await FilesOf(erased);
        files.Count.ShouldBeGreaterThanOrEqualTo(2, "the recording and the document");
        var store = host.Services.GetRequiredService<ICaseEvidence>();
        var keys = host.Services.GetRequiredService<PersonalDataKeys>();
        var sweep = host.Services.GetRequiredService<RetentionSweep>();

        // Sealing took the recording's chunks out of the staging; one that a Host kept after the seal is erased with the case.
        var staging = host.Services.GetRequiredService<IRecordingStaging>();
        var recordings = (await Get("regulator", $"/api/cases/{erased}/events")).EnumerateArray().Where(e => e.GetProperty("type").GetString() == "recording_started")
            .Select(e => e.GetProperty("data").GetProperty("RecordingId").GetGuid()).ToList();
        var recording = recordings.ShouldHaveSingleItem();
        (await staging.ChunksAsync(recording, 0, Cancellation)).ShouldBeEmpty("the seal keeps the media, the staging no longer does");
        (await staging.AddChunkAsync(recording, 0, 0, new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }, Cancellation)).ShouldBeTrue();

        // The seals' checkpoints are written now, at today's time: the test's timestamp authority follows the moved clock.
        (await supervisor.PostAsync("/api/checkpoints", null, Cancellation)).EnsureSuccessStatusCode();
        host.Clock.Advance(PastRetention);
        RetentionReport dry, done;
        try
        {
            dry = await sweep.SweepAsync(dryRun: true, Cancellation);
            (await keys.IsDestroyedAsync(erased, Cancellation)).ShouldBeFalse("a dry run destroys nothing");
            done = await sweep.SweepAsync(dryRun: false, Cancellation);
        }
        finally
        {
            host.Clock.Advance(-PastRetention);
        }

        // Other tests of this class leave completed cases too: this test reads its own.
        var planned = dry.Results.Single(r => r.CaseId == erased);
        planned.Outcome.ShouldBe(ErasureResult.WouldErase);
        planned.Files.ShouldBe(files, ignoreOrder: true);
        dry.Results.ShouldNotContain(r => r.CaseId == held, "a case on legal hold is not due");
        done.Results.Single(r => r.CaseId == erased).Outcome.ShouldBe(ErasureResult.Erased);
        done.Results.ShouldNotContain(r => r.CaseId == held);
        // The test's scenario driver uploads the same document and recording bytes to every case: each case keeps its own
        // copy, sealed under its own key, so the erased case's copies are gone and the held case's stay.
        foreach (var file in files)
        {
            (await store.ExistsAsync(erased, file, Cancellation)).ShouldBeFalse($"the erased case's {file} file is deleted");
            (await store.ExistsAsync(held, file, Cancellation)).ShouldBeTrue($"the held case keeps its own {file} file");
        }
        (await host.Database.ScalarAsync<long>($"select count(*) from vb.vb_evidence_copies where case_id = '{erased}'")).ShouldBe(0);
        (await keys.IsDestroyedAsync(erased, Cancellation)).ShouldBeTrue();
        (await staging.ChunksAsync(recording, 0, Cancellation)).ShouldBeEmpty("no media of the case waits in the staging");

        // Every reading says erased: the case, its events, the state folded at any version, the export.
        var body = await Get("supervisor", $"/api/cases/{erased}");
        body.GetProperty("data").GetProperty("customerName").GetString().ShouldBe(PersonalData.Erased);
        body.GetProperty("data").GetProperty("idNumber").GetString().ShouldBe(PersonalData.Erased);
        var events = (await Get("regulator", $"/api/cases/{erased}/events")).EnumerateArray().ToList();
        events.Single(e => e.GetProperty("type").GetString() == "identity_verified").GetProperty("data").GetProperty("Name").GetString().ShouldBe(PersonalData.Erased);
        var record = events.Single(e => e.GetProperty("type").GetString() == "personal_data_erased").GetProperty("data");
        events[^1].GetProperty("type").GetString().ShouldBe("case_sealed", "the bank seals the erasure, so nobody else can write one");
        events[^2].GetProperty("type").GetString().ShouldBe("personal_data_erased");
        record.GetProperty("Files").EnumerateArray().Select(f => f.GetString()).ShouldBe(files, ignoreOrder: true);
        var state = await Get("regulator", $"/api/cases/{erased}/state?version=2");
        state.GetRawText().ShouldNotContain(Name);
        var export = await (await host.ClientFor("regulator")).GetAsync($"/api/cases/{erased}/export?reason=PIPL%20erasure%20check", Cancellation);
        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        var zipPath = Path.Combine(Directory.CreateTempSubdirectory("vb-erased-").FullName, "case.zip");
        await File.WriteAllBytesAsync(zipPath, await export.Content.ReadAsByteArrayAsync(Cancellation), Cancellation);
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var lines = await new StreamReader(zip.GetEntry("events.jsonl")!.Open()).ReadToEndAsync(Cancellation);
            lines.ShouldContain(PersonalData.Erased);
            foreach (var value in Personal)
            {
                lines.ShouldNotContain(value);
            }
        }

        // The chain was taken over what was stored: it verifies, and the deleted files are the ones the erasure names.
        var verified = await Get("regulator", $"/api/cases/{erased}/verify");
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue(verified.ToString());
        var (exit, output) = await host.RunCliAsync("verify", erased.ToString());
        exit.ShouldBe(0, output);
        (exit, output) = await host.RunCliAsync("verify-bundle", zipPath, "--trust", Path.Combine(host.DataDirectory, "trust-store.pem"));
        exit.ShouldBe(0, output);

        // The case on hold keeps everything; released, the next sweep erases it.
        (await Get("supervisor", $"/api/cases/{held}")).GetProperty("data").GetProperty("customerName").GetString().ShouldBe(Name);
        foreach (var file in await FilesOf(held))
        {
            (await store.ExistsAsync(held, file, Cancellation)).ShouldBeTrue();
        }
        (await supervisor.PostAsJsonAsync($"/api/cases/{held}/legal-hold/release", new { reason = "Order lifted" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The first sweep's seal asked for a checkpoint (written two seconds after it): it is written now, at today's
        // time, so that it cannot fall into the moved clock's window below and be stamped in the future.
        (await supervisor.PostAsync("/api/checkpoints", null, Cancellation)).EnsureSuccessStatusCode();
        host.Clock.Advance(PastRetention);
        try
        {
            // This time an operator runs it from the command line, which wants to be told whether to erase.
            var (refused, usage) = await host.RunCliAsync("retention-sweep");
            refused.ShouldBe(CliVerbs.Usage, usage);
            usage.ShouldContain("--dry-run");
            var (listed, listing) = await host.RunCliAsync("retention-sweep", "--dry-run");
            listed.ShouldBe(CliVerbs.Ok, listing);
            listing.ShouldContain(held.ToString());
            listing.ShouldContain("would be erased");
            (await keys.IsDestroyedAsync(held, Cancellation)).ShouldBeFalse("the dry run changed nothing");
            var (swept, report) = await host.RunCliAsync("retention-sweep", "--erase");
            swept.ShouldBe(CliVerbs.Ok, report);
            report.ShouldContain(held.ToString());
            report.ShouldContain("erased");
        }
        finally
        {
            host.Clock.Advance(-PastRetention);
        }
        (await Get("supervisor", $"/api/cases/{held}")).GetProperty("data").GetProperty("customerName").GetString().ShouldBe(PersonalData.Erased);
        foreach (var file in files)
        {
            (await store.ExistsAsync(held, file, Cancellation)).ShouldBeFalse($"the {file} file is deleted with the case's erasure");
        }
        (await Get("regulator", $"/api/cases/{erased}/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue("its files are gone as its erasure says");
        var heldVerified = await Get("regulator", $"/api/cases/{held}/verify");
        heldVerified.GetProperty("intact").GetBoolean().ShouldBeTrue(heldVerified.ToString());
    }

    [Fact]
    public async Task an_erasure_written_by_an_insider_to_pass_off_a_deleted_file_is_caught_because_only_the_bank_seals_one()
    {
        var id = await CompletedCaseAsync();
        var files = await FilesOf(id);
        var version = await host.Database.ScalarAsync<long>($"select version from vb.mt_streams where id = '{id}'");
        // Straight into the table: an erasure naming the case's files after its seal, the chain recomputed, one file deleted.
        var erasure = JsonSerializer.Serialize(new { Reason = "Retention ended.", Files = files, ErasedBy = "retention", ErasedAt = DateTimeOffset.UtcNow });
        await host.Database.ExecuteAsync($"""
            insert into vb.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, correlation_id, causation_id, user_name)
                select nextval('vb.mt_events_sequence'), gen_random_uuid(), stream_id, version + 1, '{erasure}'::jsonb, 'personal_data_erased', timestamp, tenant_id,
                    'VirtualBranch.Engine.Runtime.PersonalDataErased, VirtualBranch.Engine',
                    headers || jsonb_build_object('actor-id', 'retention', 'actor-role', 'system'), correlation_id, causation_id, user_name
                from vb.mt_events where stream_id = '{id}' and version = {version};
            update vb.mt_streams set version = version + 1 where id = '{id}';
            """);
        await Insider.RechainAsync(host.Database, id, version + 1);
        File.Delete(await SealedCopies.PathAsync(host, id, files[0]));

        var verified = await Get("regulator", $"/api/cases/{id}/verify");
        verified.GetProperty("intact").GetBoolean().ShouldBeFalse(verified.ToString());
        verified.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(version + 1);
        verified.GetProperty("problem").GetString()!.ShouldStartWith($"unsealed erasure: version {version + 1}");
    }

    [Fact]
    public async Task the_sweep_endpoint_is_for_supervisors_and_wants_to_be_told_whether_to_erase()
    {
        (await (await host.ClientFor("teller")).PostAsJsonAsync("/api/retention/sweep", new { dryRun = true }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var supervisor = await host.ClientFor("supervisor");
        var missing = await supervisor.PostAsync("/api/retention/sweep", new StringContent("{}", Encoding.UTF8, "application/json"), Cancellation);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.Content.ReadAsStringAsync(Cancellation)).ShouldContain("dryRun");
        var dry = await supervisor.PostAsJsonAsync("/api/retention/sweep", new { dryRun = true }, Cancellation);
        dry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dry.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("dryRun").GetBoolean().ShouldBeTrue();
    }

    /// <summary>A plain-text dump of the fixture's database, as an operator's backup would hold it.</summary>
    private async Task<string> DumpAsync()
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).First(File.Exists);
        var connection = new NpgsqlConnectionStringBuilder(host.Database.ConnectionString);
        var start = new ProcessStartInfo(bin, ["--no-owner", "--data-only"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        (start.Environment["PGHOST"], start.Environment["PGPORT"], start.Environment["PGUSER"], start.Environment["PGPASSWORD"], start.Environment["PGDATABASE"]) =
            (connection.Host, connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), connection.Username, connection.Password, connection.Database);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancellation);
        var errors = process.StandardError.ReadToEndAsync(Cancellation);
        await process.WaitForExitAsync(Cancellation);
        process.ExitCode.ShouldBe(0, await errors);
        return await output;
    }
}
