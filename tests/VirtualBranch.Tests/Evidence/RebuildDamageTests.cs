using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>A damaged stream is named, not silently dropped or guessed at, by both the rebuild and verify --all.</summary>
public sealed class RebuildDamageTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task a_case_whose_opening_event_was_removed_is_reported_by_rebuild_and_by_verify_all()
    {
        var teller = await host.ClientFor("teller");
        var kept = await teller.OpenCase("service-request", new { customerName = "钱七", amount = 30 });
        var damaged = await teller.OpenCase("service-request", new { customerName = "孙八", amount = 40 });
        await host.Database.ExecuteAsync($"delete from vb.mt_events where stream_id = '{damaged.Id()}' and version = 1");
        var damagedSummary = $"select data::text from vb.mt_doc_casesummary where id = '{damaged.Id()}'";
        var summaryBefore = await host.Database.ScalarAsync<string>(damagedSummary);

        using var rebuildOutput = new StringWriter();
        var rebuild = await CliVerbs.RunAsync(["rebuild-summaries"], host.Services, rebuildOutput);
        rebuild.ShouldBe(CliVerbs.Failed);
        rebuildOutput.ToString().ShouldContain($"not summarised {damaged.Id()}");
        (await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_doc_casesummary where id = '{kept.Id()}'")).ShouldBe(1);
        summaryBefore.ShouldNotBeNull();
        (await host.Database.ScalarAsync<string>(damagedSummary)).ShouldBe(summaryBefore, "the damaged case keeps its last summary, untouched");

        using var verifyOutput = new StringWriter();
        (await CliVerbs.RunAsync(["verify", "--all"], host.Services, verifyOutput)).ShouldBe(CliVerbs.Failed);
        verifyOutput.ToString().ShouldContain($"BROKEN {damaged.Id()} at version 1: missing event");
    }
}
