using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>The CaseSummary projection holds nothing the streams do not: rebuilding it from them gives it back exactly.</summary>
public sealed class RebuildTests(HostFixture host) : IClassFixture<HostFixture>
{
    private const string Summaries = "select string_agg(id::text || ' ' || data::text, E'\\n' order by id) from vb.mt_doc_casesummary";

    private async Task<(int Exit, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await CliVerbs.RunAsync(args, host.Services, output);
        return (exit, output.ToString());
    }

    private async Task<List<Guid>> Cases(int count)
    {
        var teller = await host.ClientFor("teller");
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var opened = await teller.OpenCase("service-request", new { customerName = $"客户{i}", amount = 20 + i });
            if (i % 2 == 0)
            {
                await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = i % 4 == 0 });
            }
            ids.Add(opened.Id());
        }
        return ids;
    }

    [Fact]
    public async Task rebuilding_the_summaries_from_the_streams_gives_them_back_and_undoes_a_hand_edit()
    {
        var ids = await Cases(5);
        var before = await host.Database.ScalarAsync<string>(Summaries);
        var count = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_doc_casesummary");
        await host.Database.ExecuteAsync($"update vb.mt_doc_casesummary set data = jsonb_set(data, '{{Status}}', '\"completed\"') where id = '{ids[1]}'");
        await host.Database.ExecuteAsync($"delete from vb.mt_doc_casesummary where id = '{ids[3]}'");

        var (exit, output) = await Run("rebuild-summaries");

        exit.ShouldBe(CliVerbs.Ok, output);
        output.ShouldContain($"Rebuilt {count} case summaries");
        (await host.Database.ScalarAsync<string>(Summaries)).ShouldBe(before);
    }

    [Fact]
    public async Task lost_races_leave_nothing_that_verify_all_or_the_rebuild_take_for_a_broken_case()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "周九", amount = 50 });
        var path = $"/api/cases/{opened.Id()}/bookmarks/{opened.Bookmark("intake")}";
        var answers = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(_ => teller.PostAsJsonAsync(path, new { input = new { confirmed = true, urgent = false } }, TestContext.Current.CancellationToken)));
        answers.Count(a => a.IsSuccessStatusCode).ShouldBe(1, "one resume wins, the others lose the race or find the step done");

        var (verifyExit, verify) = await Run("verify", "--all");
        verifyExit.ShouldBe(CliVerbs.Ok, verify);
        verify.ShouldContain(" 0 broken");
        var (rebuildExit, rebuild) = await Run("rebuild-summaries");
        rebuildExit.ShouldBe(CliVerbs.Ok, rebuild);
        rebuild.ShouldNotContain("not summarised");
    }

    [Fact]
    public async Task a_scan_returns_every_case_once_in_order_across_batches()
    {
        var ids = await Cases(5);
        var stored = host.Services.GetRequiredService<StoredEvents>();
        var seen = new List<Guid>();
        var batches = 0;
        await foreach (var batch in stored.ScanAsync(ids, TestContext.Current.CancellationToken, batchSize: 2))
        {
            batches++;
            batch.Count.ShouldBeLessThanOrEqualTo(2);
            batch.ShouldAllBe(s => s.Rows.Count > 0 && s.StreamVersion == s.Rows.Count && s.Rows[0].Version == 1);
            seen.AddRange(batch.Select(s => s.CaseId));
        }
        batches.ShouldBe(3);
        seen.ShouldBe(ids);
        var unknown = (await stored.ReadManyAsync([Guid.NewGuid()], TestContext.Current.CancellationToken)).Single();
        unknown.Rows.ShouldBeEmpty();
        unknown.StreamVersion.ShouldBeNull();
    }
}
