using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

public sealed class CliTests(HostFixture host) : IClassFixture<HostFixture>
{
    private Task<(int Exit, string Output)> Run(params string[] args) => host.RunCliAsync(args);

    private async Task<Guid> CompletedCase()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "赵六", amount = 20 });
        await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = true });
        return opened.Id();
    }

    [Fact]
    public async Task replay_prints_the_timeline_and_the_state_at_a_version()
    {
        var id = await CompletedCase();
        var (exit, output) = await Run("replay", id.ToString());
        exit.ShouldBe(CliVerbs.Ok);
        output.ShouldContain("Intake interview");
        output.ShouldContain("teller (teller)");
        output.ShouldContain("State at version");
        output.ShouldContain("completed");
        var (_, early) = await Run("replay", id.ToString(), "--version", "3");
        early.ShouldContain("State at version 3: running");
    }

    [Fact]
    public async Task verify_reports_intact_and_then_the_broken_version_after_tampering()
    {
        var id = await CompletedCase();
        var (exit, output) = await Run("verify", id.ToString());
        exit.ShouldBe(CliVerbs.Ok);
        output.ShouldStartWith("intact");
        var (allExit, all) = await Run("verify", "--all");
        allExit.ShouldBe(CliVerbs.Ok);
        all.ShouldContain("0 broken");
        await host.Database.ExecuteAsync($"update vb.mt_events set data = jsonb_set(data, '{{Reason}}', '\"edited\"') where stream_id = '{id}' and type = 'case_completed'");
        var (brokenExit, broken) = await Run("verify", id.ToString());
        brokenExit.ShouldBe(CliVerbs.Failed);
        broken.ShouldContain("changed data");
        (await Run("verify", "--all")).Output.ShouldContain("1 broken");
    }

    [Fact]
    public async Task export_writes_a_bundle_that_verify_bundle_accepts_without_a_database()
    {
        var id = await CompletedCase();
        var file = Path.Combine(Directory.CreateTempSubdirectory("vb-export-").FullName, "case.zip");
        (await Run("export", id.ToString(), file)).Exit.ShouldBe(CliVerbs.Ok);
        using var output = new StringWriter();
        (await CliVerbs.RunAsync(["verify-bundle", file, "--trust", Path.Combine(host.DataDirectory, "trust-store.pem")], null, output)).ShouldBe(CliVerbs.Ok);
        output.ToString().ShouldContain("is intact");
        // One flipped bit in the events the bundle carries (a byte at a fixed place in the zip may land in a field the zip
        // format ignores, such as an entry's time, depending on how long the events are).
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(file, Zips.Rewrite(bytes, "events.jsonl", events => events[events.Length / 3] ^= 0x01), TestContext.Current.CancellationToken);
        using var second = new StringWriter();
        (await CliVerbs.RunAsync(["verify-bundle", file, "--trust", Path.Combine(host.DataDirectory, "trust-store.pem")], null, second)).ShouldBe(CliVerbs.Failed);
    }

    [Fact]
    public async Task an_unknown_case_is_said_plainly()
    {
        var (exit, output) = await Run("verify", Guid.NewGuid().ToString());
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain("There is no case");
    }
}
