using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// scripts/backup.sh and scripts/restore.sh round trip: the database and the evidence folder restored into a fresh
/// database and fresh folders verify intact, and a case that was open at the backup goes on there.
/// </summary>
public sealed class BackupRestoreTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The settings of a Host (and of the scripts) on this database, with evidence in these folders; the keys stay in the fixture's data folder.</summary>
    private Dictionary<string, string> Settings(string connectionString, string evidenceRoot) => new()
    {
        ["ConnectionStrings__Engine"] = connectionString,
        ["Engine__DataDirectory"] = host.DataDirectory,
        ["Evidence__Directory"] = Path.Combine(evidenceRoot, "evidence"),
        ["Engine__RecordingsPath"] = Path.Combine(evidenceRoot, "recordings"),
        ["Engine__SoloNode"] = "true",
        ["Engine__CreateDemoAccounts"] = "false",
    };

    private async Task<string> BackupAsync()
    {
        var backup = Path.Combine(Directory.CreateTempSubdirectory("vb-backup-").FullName, "backup");
        var (exit, errors) = await Scripts.RunAsync("backup.sh", [backup], Settings(host.Database.ConnectionString, host.DataDirectory));
        exit.ShouldBe(0, errors);
        return backup;
    }

    [Fact]
    public async Task a_backup_restored_into_a_fresh_database_verifies_intact_and_its_open_case_goes_on()
    {
        await (await ScenarioDriver.OpenAsync(host, "password-reset", Reset)).RunToEndAsync();
        var open = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        await open.RunToEndAsync(stopBeforeStep: "identity");
        var backup = await BackupAsync();
        File.ReadAllText(Path.Combine(backup, "SHA256SUMS")).ShouldContain("evidence.tar");

        await using var fresh = await TestDatabase.CreateAsync();
        var restored = Settings(fresh.ConnectionString, Directory.CreateTempSubdirectory("vb-restored-").FullName);
        var (exit, errors) = await Scripts.RunAsync("restore.sh", [backup], restored);
        exit.ShouldBe(0, errors);
        Directory.EnumerateFiles(restored["Evidence__Directory"], "*", SearchOption.AllDirectories).ShouldNotBeEmpty();

        var (verified, output, verifyErrors) = await HostProcess.RunToExitAsync(["verify", "--all"], restored);
        verified.ShouldBe(0, output + verifyErrors);
        output.ShouldMatch(@"(?s)\b([2-9]|\d\d+) cases, \d+ events checked: \1 intact, 0 broken", "both cases (and any other test's) intact");

        var pages = Path.Combine(Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host");
        using var process = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--contentRoot", pages], restored);
        try
        {
            using var teller = new HttpClient { BaseAddress = await HostProcess.ListeningAddressAsync(process) };
            var token = await (await teller.PostAsJsonAsync("/api/auth/token", new { username = "teller", password = host.PasswordOf("teller") }, Cancellation))
                .Content.ReadFromJsonAsync<JsonElement>(Cancellation);
            teller.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
            var before = await teller.GetCase(open.CaseId);

            var after = await teller.ResumeOk(open.CaseId, before.Bookmark("identity"),
                new { name = "张三", idNumber = "11010519491231002X", idExpiry = "2036-01-01", faceMatch = true });

            after.GetProperty("version").GetInt64().ShouldBeGreaterThan(before.GetProperty("version").GetInt64());
            after.GetProperty("status").GetString().ShouldBe("running");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Cancellation);
        }
    }

    [Fact]
    public async Task a_restore_into_a_database_that_is_not_fresh_is_refused_and_changes_nothing()
    {
        await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        var backup = await BackupAsync();
        var events = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_events");
        var target = Settings(host.Database.ConnectionString, Directory.CreateTempSubdirectory("vb-restored-").FullName);

        var (exit, errors) = await Scripts.RunAsync("restore.sh", [backup], target);

        exit.ShouldNotBe(0);
        errors.ShouldContain("already holds VirtualBranch's schema; restore into a fresh database");
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_events")).ShouldBe(events);
        Directory.Exists(target["Evidence__Directory"]).ShouldBeFalse("no folder was made either");
    }

    [Fact]
    public async Task a_damaged_backup_is_refused_before_anything_is_restored()
    {
        var backup = await BackupAsync();
        await File.AppendAllTextAsync(Path.Combine(backup, "database.dump"), "tampered", Cancellation);
        await using var fresh = await TestDatabase.CreateAsync();

        var (exit, errors) = await Scripts.RunAsync("restore.sh", [backup], Settings(fresh.ConnectionString, Directory.CreateTempSubdirectory("vb-restored-").FullName));

        exit.ShouldNotBe(0);
        errors.ShouldContain("is damaged");
        (await fresh.ScalarAsync<long>("select count(*) from pg_namespace where nspname = 'vb'")).ShouldBe(0);
    }
}
