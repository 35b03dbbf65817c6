using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Tests.Evidence.Stores;

/// <summary>
/// Two Host processes on one database: the customer's recorder uploads every chunk to one, the other seals the recording,
/// and the recording is whole, plays from either Host (ranges too) and verifies. Once per kind of evidence store.
/// </summary>
public abstract class RecordingAcrossHostsTests(HostFixture host)
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    /// <summary>The evidence settings of the second Host process, as environment variables (the first has them as configuration).</summary>
    protected abstract IReadOnlyDictionary<string, string> SecondHostSettings { get; }

    /// <summary>Checks the sealed recording is kept where this kind of store keeps it, and nowhere else.</summary>
    protected abstract Task ShouldBeKeptInTheStoreAsync(Guid caseId, string sha256);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static HttpClient On(Uri address, HttpClient signedIn) =>
        new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = signedIn.DefaultRequestHeaders.Authorization } };

    [Fact]
    public async Task chunks_uploaded_to_one_host_and_sealed_on_another_make_the_whole_recording()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        driver.UploadsRecording = false; // the chunks go to the other Host
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var recordingId = (await driver.Teller.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/workbench", Cancellation))
            .GetProperty("recording").GetProperty("recordingId").GetGuid();
        var (process, other) = await host.StartHostProcessAsync(SecondHostSettings);
        try
        {
            using var customerOnOther = On(other, driver.Customer);
            var chunks = driver.Recording.Chunk(1000).ToList();
            for (var i = 0; i < chunks.Count; i++)
            {
                var stored = await customerOnOther.SendAsync(TestMedia.ChunkRequest(recordingId, i, chunks[i]), Cancellation);
                stored.StatusCode.ShouldBe(HttpStatusCode.OK, await stored.Content.ReadAsStringAsync(Cancellation));
            }

            // Sealed by this Host, which received none of the chunks.
            var seal = await host.Services.GetRequiredService<IMediaAdapter>().SealAsync(recordingId, Cancellation);

            var whole = seal.Segments.ShouldHaveSingleItem();
            (whole.Sha256, whole.Size, whole.Chunks).ShouldBe((Convert.ToHexStringLower(SHA256.HashData(driver.Recording)), driver.Recording.Length, chunks.Count));
            (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed");
            await ShouldBeKeptInTheStoreAsync(driver.CaseId, whole.Sha256);

            var supervisor = await host.ClientFor("supervisor");
            (await supervisor.GetByteArrayAsync($"/api/recordings/{recordingId}", Cancellation)).ShouldBe(driver.Recording);
            using var supervisorOnOther = On(other, supervisor);
            var (from, to) = (driver.Recording.Length / 3, 2 * driver.Recording.Length / 3);
            using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{recordingId}") { Headers = { Range = new RangeHeaderValue(from, to - 1) } };
            var partial = await supervisorOnOther.SendAsync(range, Cancellation);
            partial.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
            (await partial.Content.ReadAsByteArrayAsync(Cancellation)).ShouldBe(driver.Recording[from..to]);

            var (exit, output) = await host.RunCliAsync("verify", driver.CaseId.ToString());
            exit.ShouldBe(0, output);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Cancellation);
            process.Dispose();
        }
    }
}

/// <summary>A Host whose evidence is in PostgreSQL (both Hosts are told so).</summary>
public sealed class PostgresEvidenceHostFixture : HostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Evidence:Store"] = "postgresql" };
}

/// <summary>With the PostgreSQL store nothing of the recording touches either Host's disk.</summary>
public sealed class RecordingAcrossHostsInPostgresTests(PostgresEvidenceHostFixture host) : RecordingAcrossHostsTests(host), IClassFixture<PostgresEvidenceHostFixture>
{
    protected override IReadOnlyDictionary<string, string> SecondHostSettings => new Dictionary<string, string> { ["Evidence__Store"] = "postgresql" };

    protected override async Task ShouldBeKeptInTheStoreAsync(Guid caseId, string sha256)
    {
        var sealedCopy = await SealedCopies.NameAsync(host.Database, caseId, sha256);
        (await host.Database.ScalarAsync<long>($"select size from vb.vb_evidence_files where sha256 = '{sealedCopy}'")).ShouldBeGreaterThan(0);
        Directory.Exists(Path.Combine(host.DataDirectory, "recordings")).ShouldBeFalse("chunks wait in the database");
        Directory.Exists(Path.Combine(host.DataDirectory, "evidence")).ShouldBeFalse("evidence is kept in the database");
    }
}

/// <summary>Both Hosts name the same shared folder (an NFS mount in production) for evidence and for chunks being recorded.</summary>
public sealed class SharedFolderEvidenceHostFixture : HostFixture
{
    public string Shared { get; } = Directory.CreateTempSubdirectory("vb-shared-").FullName;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Evidence:Store"] = "directory",
        ["Evidence:Directory"] = Path.Combine(Shared, "evidence"),
        ["Engine:RecordingsPath"] = Path.Combine(Shared, "recordings"),
    };
}

/// <summary>With the directory store, the recording is sealed into the shared folder both Hosts name.</summary>
public sealed class RecordingAcrossHostsInSharedFolderTests(SharedFolderEvidenceHostFixture host) : RecordingAcrossHostsTests(host), IClassFixture<SharedFolderEvidenceHostFixture>
{
    protected override IReadOnlyDictionary<string, string> SecondHostSettings => new Dictionary<string, string>
    {
        ["Evidence__Store"] = "directory",
        ["Evidence__Directory"] = Path.Combine(host.Shared, "evidence"),
        ["Engine__RecordingsPath"] = Path.Combine(host.Shared, "recordings"),
    };

    protected override async Task ShouldBeKeptInTheStoreAsync(Guid caseId, string sha256)
    {
        File.Exists(new DirectoryEvidenceStore(Path.Combine(host.Shared, "evidence")).PathOf(await SealedCopies.NameAsync(host.Database, caseId, sha256))).ShouldBeTrue();
        Directory.Exists(Path.Combine(host.DataDirectory, "evidence")).ShouldBeFalse("the Hosts' own data folder holds no evidence");
    }
}
