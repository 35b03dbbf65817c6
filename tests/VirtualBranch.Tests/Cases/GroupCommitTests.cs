using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>The writer puts commands of different cases into one transaction; each command still gets its own outcome.</summary>
public sealed class GroupCommitTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly Actor Teller = new("teller", "teller");

    [Fact]
    public async Task commands_of_different_cases_commit_in_one_transaction_with_their_own_metadata()
    {
        var (first, second) = (await OpenAsync(), await OpenAsync());
        var batch = new List<PendingAppend> { await IntakeAsync(first, "corr-first"), await IntakeAsync(second, "corr-second") };

        var outcomes = await host.Services.GetRequiredService<CaseWriter>().WriteTogetherAsync(batch);

        outcomes.ShouldAllBe(o => o.IsCompletedSuccessfully);
        var transactions = await host.Database.ScalarAsync<long>(
            $"select count(distinct xmin::text) from vb.mt_events where stream_id in ('{first}', '{second}') and data->'Resumed' is not null");
        transactions.ShouldBe(1L, "both commands' events were written by one transaction");
        foreach (var (append, correlation) in batch.Zip(["corr-first", "corr-second"]))
        {
            var appended = await host.Database.ScalarAsync<string>(
                $"select string_agg(distinct concat_ws('|', correlation_id, user_name), ',') from vb.mt_events where stream_id = '{append.CaseId}' and version > {append.Before!.State.Version}");
            appended.ShouldBe($"{correlation}|teller");
        }
    }

    [Fact]
    public async Task a_lost_race_in_a_shared_transaction_refuses_only_that_command_and_keeps_the_others()
    {
        var (first, stale, third) = (await OpenAsync(), await OpenAsync(), await OpenAsync());
        var batch = new List<PendingAppend> { await IntakeAsync(first, "corr-1"), await IntakeAsync(stale, "corr-stale"), await IntakeAsync(third, "corr-3") };
        // Someone else resumes the stale case after our command was decided: its append must lose the race.
        var teller = await host.ClientFor("teller");
        await teller.ResumeOk(stale, "intake.1", new { confirmed = true, urgent = true });
        var staleBefore = await StreamSnapshot.Of(host.Database, stale);

        var outcomes = await host.Services.GetRequiredService<CaseWriter>().WriteTogetherAsync(batch);

        outcomes[0].IsCompletedSuccessfully.ShouldBeTrue();
        outcomes[2].IsCompletedSuccessfully.ShouldBeTrue();
        var refused = await Should.ThrowAsync<Exception>(() => outcomes[1]);
        CaseStreams.IsConcurrencyConflict(refused).ShouldBeTrue(refused.ToString());
        ((DocumentStore)host.Store).Options.Logger().ShouldBeOfType<VirtualBranch.Host.Persistence.StoreLog>("lost races are logged as the normal event they are");
        (await StreamSnapshot.Of(host.Database, stale)).ShouldBe(staleBefore);
        foreach (var id in new[] { first, third })
        {
            (await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{id}' and data->'Resumed'->>'BookmarkId' = 'intake.1'")).ShouldBe(1L);
        }
    }

    [Fact]
    public async Task two_commands_decided_on_the_same_state_of_one_case_the_first_wins_and_the_second_loses_the_race()
    {
        var (id, other) = (await OpenAsync(), await OpenAsync());
        var batch = new List<PendingAppend> { await IntakeAsync(id, "corr-first"), await IntakeAsync(other, "corr-other"), await IntakeAsync(id, "corr-twin") };

        var outcomes = await host.Services.GetRequiredService<CaseWriter>().WriteTogetherAsync(batch);

        outcomes[0].IsCompletedSuccessfully.ShouldBeTrue();
        outcomes[1].IsCompletedSuccessfully.ShouldBeTrue();
        CaseStreams.IsConcurrencyConflict(await Should.ThrowAsync<Exception>(() => outcomes[2])).ShouldBeTrue();
        var correlations = await host.Database.ScalarAsync<string>(
            $"select string_agg(distinct correlation_id, ',') from vb.mt_events where stream_id = '{id}' and version > {batch[0].Before!.State.Version}");
        correlations.ShouldBe("corr-first");
    }

    [Fact]
    public async Task each_event_is_stored_as_the_text_its_chain_link_was_taken_over_without_serialising_it_again()
    {
        var id = await OpenAsync();
        var append = await IntakeAsync(id, "corr-text");
        // The link's text differs from what serialising the event would give (its step's outcome is written as "chained"):
        // what the store keeps shows which of the two it wrote.
        var first = append.Links[0];
        var chained = first.Json.Replace("\"Outcomes\":[\"done\"]", "\"Outcomes\":[\"chained\"]", StringComparison.Ordinal);
        chained.ShouldNotBe(first.Json);
        var links = append.Links.ToList();
        links[0] = first with { Json = chained };

        await host.Services.GetRequiredService<CaseWriter>().WriteAsync(append with { Links = links });

        var stored = await host.Database.ScalarAsync<string>(
            $"select data->'Outcomes'->>0 from vb.mt_events where stream_id = '{id}' and version = {append.Before!.State.Version + 1}");
        stored.ShouldBe("chained");
    }

    private async Task<Guid> OpenAsync() =>
        (await (await host.ClientFor("teller")).OpenCase("service-request", new { customerName = "张三", amount = 500_000 })).Id();

    /// <summary>Decides "intake confirmed" on the case as stored now, ready for the writer (not yet written).</summary>
    private async Task<PendingAppend> IntakeAsync(Guid caseId, string correlation)
    {
        await using var session = host.Store.QuerySession();
        var head = (await CaseStreams.LoadHeadAsync(session, caseId))!;
        var catalog = host.Services.GetRequiredService<DefinitionCatalog>();
        var definition = catalog.Find(head.State.DefinitionId, head.State.DefinitionVersion)!;
        var now = DateTimeOffset.UtcNow;
        var command = new ResumeBookmark("intake.1", JsonSerializer.SerializeToElement(new { confirmed = true, urgent = false }), Teller, now);
        var accepted = (Decision.Accepted)CaseDecider.Decide(head.State, command, host.Services.GetRequiredService<FlowFactory>().For(definition));
        var (links, state) = CaseCommandService.ChainAndSeal(host.Services.GetRequiredService<BankSigner>(), host.Store.Options.Serializer(), caseId, head, accepted, Teller, now);
        return new PendingAppend(caseId, head, links, CaseSummary.From(state, catalog), [], new RequestContext(correlation, null));
    }
}
