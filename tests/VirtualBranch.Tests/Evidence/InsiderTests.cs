using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// An insider with SQL access who keeps the hashes consistent: truncation, transplant, rewrite with the chain recomputed.
/// Each attack is caught once a checkpoint has anchored the case, named with the case and the version, and the cases
/// around it still verify.
/// </summary>
public sealed class InsiderTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object LargeRequest = new { customerName = "钱七", amount = 500_000 };

    /// <summary>A running case waiting for a supervisor's review and a core-banking signal (about a dozen events).</summary>
    private async Task<Guid> RunningCase()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", LargeRequest);
        var waiting = await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false });
        waiting.GetProperty("status").GetString().ShouldBe("running");
        return opened.Id();
    }

    private async Task<Guid> CompletedCase()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "孙八", amount = 10 });
        (await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false })).GetProperty("status").GetString().ShouldBe("completed");
        return opened.Id();
    }

    private async Task<JsonElement> Checkpoint()
    {
        var supervisor = await host.ClientFor("supervisor");
        var response = await supervisor.PostAsync("/api/checkpoints", null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> Verify(Guid id) =>
        await (await host.ClientFor("regulator")).GetFromJsonAsync<JsonElement>($"/api/cases/{id}/verify");

    private Task<(int Exit, string Output)> Cli(params string[] args) => host.RunCliAsync(args);

    private async Task<long> Version(Guid id) => await host.Database.ScalarAsync<long>($"select version from vb.mt_streams where id = '{id}'");

    private async Task ShouldBeBroken(Guid id, long version, string problemStart)
    {
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeFalse(result.ToString());
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(version, result.ToString());
        result.GetProperty("problem").GetString()!.ShouldStartWith(problemStart);
        var (exit, output) = await Cli("verify", id.ToString());
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain($"BROKEN at version {version}");
    }

    private async Task ShouldBeAnchoredAndIntact(Guid id)
    {
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeTrue(result.ToString());
        result.GetProperty("anchor").GetString()!.ShouldStartWith("anchored by checkpoint");
    }

    [Fact]
    public async Task truncating_an_open_case_and_lowering_its_stream_version_is_caught_against_the_checkpoint()
    {
        var (id, neighbour) = (await RunningCase(), await RunningCase());
        await Checkpoint();
        var version = await Version(id);
        await host.Database.ExecuteAsync($"""
            delete from vb.mt_events where stream_id = '{id}' and version > {version - 2};
            update vb.mt_streams set version = {version - 2} where id = '{id}';
            """);
        await ShouldBeBroken(id, version - 1, $"truncated: stream head at version {version - 2}, checkpoint ");
        (await Verify(id)).GetProperty("problem").GetString()!.ShouldEndWith($"signed version {version}");
        await ShouldBeAnchoredAndIntact(neighbour);
        // The next checkpoint does not anchor the shorter stream: the case stays broken, and the refusal is reported.
        var next = await Checkpoint();
        next.GetProperty("refused").EnumerateArray().Select(r => r.GetString()).ShouldContain(r => r!.Contains(id.ToString()));
        (await Verify(id)).GetProperty("intact").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task another_cases_events_copied_over_a_case_are_caught_as_a_transplant()
    {
        var (victim, donor) = (await RunningCase(), await RunningCase());
        await Checkpoint();
        await host.Database.ExecuteAsync(TransplantSql(donor, victim));
        await ShouldBeBroken(victim, 1, $"transplanted events: version 1 opens case {donor}");
        await ShouldBeAnchoredAndIntact(donor);
    }

    [Fact]
    public async Task a_transplant_rewritten_to_name_the_victim_and_rechained_in_the_old_format_is_caught_by_the_checkpoint()
    {
        var (victim, donor) = (await RunningCase(), await RunningCase());
        await Checkpoint();
        // The careful insider: copies, renames the case in the opening event, drops the format header and recomputes the chain.
        await host.Database.ExecuteAsync(TransplantSql(donor, victim) + $$"""
            update vb.mt_events set data = jsonb_set(data, '{CaseId}', '"{{victim}}"') where stream_id = '{{victim}}' and version = 1;
            update vb.mt_events set headers = headers - 'chain' where stream_id = '{{victim}}';
            """);
        await Insider.RechainAsync(host.Database, victim);
        var result = await Verify(victim);
        result.GetProperty("intact").GetBoolean().ShouldBeFalse(result.ToString());
        result.GetProperty("problem").GetString()!.ShouldStartWith("rewritten: the event at version");
    }

    [Fact]
    public async Task an_event_changed_and_the_chain_recomputed_is_caught_by_the_checkpoint_on_an_open_case_and_by_the_seal_on_a_closed_one()
    {
        var (open, closed) = (await RunningCase(), await CompletedCase());
        await Checkpoint();
        foreach (var id in new[] { open, closed })
        {
            await host.Database.ExecuteAsync(
                $"update vb.mt_events set data = jsonb_set(data, '{{Data,customerName}}', '\"冒名\"') where stream_id = '{id}' and version = 1");
            await Insider.RechainAsync(host.Database, id);
        }
        var sealedVersion = await Version(closed);
        await ShouldBeBroken(closed, sealedVersion, $"seal at version {sealedVersion}: it signed chain head");
        var openResult = await Verify(open);
        openResult.GetProperty("intact").GetBoolean().ShouldBeFalse(openResult.ToString());
        openResult.GetProperty("problem").GetString()!.ShouldStartWith("rewritten: the event at version");
    }

    [Fact]
    public async Task a_rewrite_whose_anchored_head_is_deleted_from_the_heads_table_is_not_anchored_again()
    {
        var (id, neighbour) = (await RunningCase(), await RunningCase());
        await Checkpoint();
        await host.Database.ExecuteAsync($$"""
            update vb.mt_events set data = jsonb_set(data, '{Data,customerName}', '"冒名"') where stream_id = '{{id}}' and version = 1;
            delete from vb.vb_checkpoint_heads where case_id = '{{id}}';
            """);
        await Insider.RechainAsync(host.Database, id);
        var next = await Checkpoint();
        next.GetProperty("refused").EnumerateArray().Select(r => r.GetString()).ShouldContain(r => r!.Contains(id.ToString()) && r.Contains("no longer has the hash"));
        (await Verify(id)).GetProperty("problem").GetString()!.ShouldStartWith("rewritten: the event at version");
        await ShouldBeAnchoredAndIntact(neighbour);
    }

    [Fact]
    public async Task an_event_appended_after_the_seal_and_rechained_is_caught()
    {
        var id = await CompletedCase();
        var version = await Version(id);
        await host.Database.ExecuteAsync(AppendCopySql(id, version - 1, "'at'", "headers ->> 'at'"));
        await Insider.RechainAsync(host.Database, id, version + 1);
        await ShouldBeBroken(id, version + 1, $"appended after the seal: version {version + 1} (case_completed) follows the seal at version {version}");
    }

    [Fact]
    public async Task an_anchored_case_extended_with_a_back_dated_event_is_refused_by_the_next_checkpoint_and_reported()
    {
        var id = await RunningCase();
        await Checkpoint();
        var version = await Version(id);
        var anHourAgo = VirtualBranch.Engine.Integrity.HashChain.Time(DateTimeOffset.UtcNow.AddHours(-1));
        await host.Database.ExecuteAsync(AppendCopySql(id, version, "'at'", $"'{anHourAgo}'"));
        await Insider.RechainAsync(host.Database, id, version + 1);
        var next = await Checkpoint();
        next.GetProperty("refused").EnumerateArray().Select(r => r.GetString()).ShouldContain(r => r!.Contains(id.ToString()) && r.Contains("back-dated"));
        await ShouldBeBroken(id, version + 1, $"not anchored: version {version + 1} was recorded at {anHourAgo}");
    }

    [Fact]
    public async Task a_deleted_case_is_named_by_the_checkpoint_that_anchored_it()
    {
        var (id, neighbour) = (await RunningCase(), await RunningCase());
        await Checkpoint();
        await host.Database.ExecuteAsync($"""
            delete from vb.mt_events where stream_id = '{id}';
            delete from vb.mt_streams where id = '{id}';
            delete from vb.mt_doc_casesummary where id = '{id}';
            """);
        var (exit, output) = await Cli("verify", id.ToString());
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain("deleted: checkpoint ");
        var (allExit, all) = await Cli("verify", "--all");
        allExit.ShouldBe(CliVerbs.Failed);
        all.ShouldContain($"BROKEN {id}");
        all.ShouldNotContain($"BROKEN {neighbour}");
    }

    /// <summary>A copy of the event at <paramref name="copyVersion"/> appended as the stream's next event, one header replaced.</summary>
    private static string AppendCopySql(Guid id, long copyVersion, string header, string value) => $"""
        insert into vb.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, correlation_id, causation_id, user_name)
            select nextval('vb.mt_events_sequence'), gen_random_uuid(), stream_id, (select version + 1 from vb.mt_streams where id = '{id}'), data, type, timestamp,
                tenant_id, mt_dotnet_type, jsonb_set(headers, array[{header}], to_jsonb(({value})::text)), correlation_id, causation_id, user_name
            from vb.mt_events where stream_id = '{id}' and version = {copyVersion};
        update vb.mt_streams set version = version + 1 where id = '{id}';
        """;

    /// <summary>The donor's rows under the victim's id, with data, headers and timestamps as they were.</summary>
    private static string TransplantSql(Guid donor, Guid victim) => $"""
        delete from vb.mt_events where stream_id = '{victim}';
        insert into vb.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, correlation_id, causation_id, user_name)
            select nextval('vb.mt_events_sequence'), gen_random_uuid(), '{victim}', version, data, type, timestamp, tenant_id, mt_dotnet_type, headers,
                correlation_id, causation_id, user_name
            from vb.mt_events where stream_id = '{donor}' order by version;
        update vb.mt_streams set version = (select version from vb.mt_streams where id = '{donor}') where id = '{victim}';
        """;
}
