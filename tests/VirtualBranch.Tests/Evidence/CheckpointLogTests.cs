using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Cli;
using VirtualBranch.Host.Integrity.Timestamps;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// The insider turns to the checkpoints themselves: deletes one, edits a leaf, re-signs one with another key, swaps in a
/// timestamp token over other data. Each is named by the checkpoint it concerns. Every test checks the log from the
/// checkpoint it kept before its attack, as a reader who looked before would.
/// </summary>
public sealed class CheckpointLogTests(HostFixture host) : IClassFixture<HostFixture>
{
    /// <summary>Opens a case (so there is something new to anchor) and writes a checkpoint through the API: its number and hash.</summary>
    private async Task<(long Number, string Hash, Guid Case)> NewCheckpoint()
    {
        var teller = await host.ClientFor("teller");
        var id = (await teller.OpenCase("service-request", new { customerName = "周九", amount = 10 })).Id();
        var response = await (await host.ClientFor("supervisor")).PostAsync("/api/checkpoints", null);
        response.EnsureSuccessStatusCode();
        var written = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (written.GetProperty("number").GetInt64(), written.GetProperty("hash").GetString()!, id);
    }

    private async Task<JsonElement> VerifyLog(long number, string hash) =>
        await (await host.ClientFor("regulator")).GetFromJsonAsync<JsonElement>($"/api/checkpoints/verify?known={number}:{hash}");

    private Task<(int Exit, string Output)> Cli(params string[] args) => host.RunCliAsync(args);

    private async Task ShouldReport(long keptNumber, string keptHash, string problemStart)
    {
        var report = await VerifyLog(keptNumber, keptHash);
        report.GetProperty("intact").GetBoolean().ShouldBeFalse(report.ToString());
        report.GetProperty("problem").GetString()!.ShouldStartWith(problemStart);
        var (exit, output) = await Cli("verify-checkpoints", "--known", $"{keptNumber}:{keptHash}");
        exit.ShouldBe(CliVerbs.Failed);
        output.ShouldContain("CHECKPOINTS BROKEN");
    }

    [Fact]
    public async Task the_log_verifies_from_a_kept_checkpoint_and_the_tables_refuse_updates()
    {
        var kept = await NewCheckpoint();
        await NewCheckpoint();
        var report = await VerifyLog(kept.Number, kept.Hash);
        report.GetProperty("intact").GetBoolean().ShouldBeTrue(report.ToString());
        report.GetProperty("checked").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        // Another test of this class may have lifted the guards as an insider would; the Host's start-up puts them back.
        await host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Host.Integrity.Checkpoints.CheckpointTables>().Single()
            .StartAsync(TestContext.Current.CancellationToken);
        var refused = await Should.ThrowAsync<Npgsql.PostgresException>(() => host.Database.ExecuteAsync($"update vb.vb_checkpoints set root = 'x' where number = {kept.Number}"));
        refused.MessageText.ShouldContain("append-only");
        await Should.ThrowAsync<Npgsql.PostgresException>(() => host.Database.ExecuteAsync("truncate vb.vb_checkpoint_leaves cascade"));
    }

    [Fact]
    public async Task a_deleted_checkpoint_is_named()
    {
        var kept = await NewCheckpoint();
        var doomed = await NewCheckpoint();
        await NewCheckpoint();
        await Insider.DropCheckpointGuardsAsync(host.Database);
        await host.Database.ExecuteAsync($"""
            delete from vb.vb_checkpoint_leaves where checkpoint = {doomed.Number};
            delete from vb.vb_checkpoints where number = {doomed.Number};
            """);
        await ShouldReport(kept.Number, kept.Hash, $"checkpoint {doomed.Number} is missing: the next stored is checkpoint {doomed.Number + 1} of ");
    }

    [Fact]
    public async Task an_edited_leaf_is_named_by_its_checkpoint_and_the_case_no_longer_verifies()
    {
        var kept = await NewCheckpoint();
        var edited = await NewCheckpoint();
        await Insider.DropCheckpointGuardsAsync(host.Database);
        await host.Database.ExecuteAsync($"update vb.vb_checkpoint_leaves set version = version - 1 where checkpoint = {edited.Number} and case_id = '{edited.Case}'");
        await ShouldReport(kept.Number, kept.Hash, $"checkpoint {edited.Number} of ");
        (await VerifyLog(kept.Number, kept.Hash)).GetProperty("problem").GetString()!.ShouldEndWith("(leaves edited)");
        var verify = await (await host.ClientFor("regulator")).GetFromJsonAsync<JsonElement>($"/api/cases/{edited.Case}/verify");
        verify.GetProperty("intact").GetBoolean().ShouldBeFalse();
        verify.GetProperty("problem").GetString()!.ShouldContain("is not in the tree it signed");
    }

    [Fact]
    public async Task a_checkpoint_rewritten_and_signed_with_another_key_is_refused_naming_the_signer()
    {
        var kept = await NewCheckpoint();
        var target = await NewCheckpoint();
        await Insider.DropCheckpointGuardsAsync(host.Database);
        // The insider drops the target's leaves, signs a checkpoint over none with a key of their own, and keeps the links.
        var previous = await host.Database.ScalarAsync<string>($"select previous_hash from vb.vb_checkpoints where number = {target.Number}");
        var created = await host.Database.ScalarAsync<DateTime>($"select created_at from vb.vb_checkpoints where number = {target.Number}");
        var forged = new Checkpoint(target.Number, new DateTimeOffset(created, TimeSpan.Zero), previous!, 0, Convert.ToHexStringLower(MerkleTree.Root([])));
        using var own = Insider.OwnKey();
        var signature = Convert.ToHexString(Insider.Sign(forged.Statement(), own));
        await host.Database.ExecuteAsync($"""
            delete from vb.vb_checkpoint_leaves where checkpoint = {target.Number};
            update vb.vb_checkpoints set tree_size = 0, root = '{forged.Root}', hash = '{forged.Hash()}', signature = '\x{signature}', timestamp_token = null
                where number = {target.Number};
            """);
        await ShouldReport(kept.Number, kept.Hash, $"checkpoint {target.Number} of ");
        (await VerifyLog(kept.Number, kept.Hash)).GetProperty("problem").GetString()!.ShouldContain("which is not a trusted key");
    }

    [Fact]
    public async Task a_timestamp_token_over_other_data_is_refused()
    {
        var kept = await NewCheckpoint();
        var target = await NewCheckpoint();
        var other = await host.Services.GetRequiredService<ITimestampAuthority>().StampAsync("other data"u8.ToArray(), TestContext.Current.CancellationToken);
        await Insider.DropCheckpointGuardsAsync(host.Database);
        await host.Database.ExecuteAsync($"update vb.vb_checkpoints set timestamp_token = '\\x{Convert.ToHexString(other)}' where number = {target.Number}");
        await ShouldReport(kept.Number, kept.Hash, $"checkpoint {target.Number} of ");
        (await VerifyLog(kept.Number, kept.Hash)).GetProperty("problem").GetString()!.ShouldContain("stamps other data");
    }

    [Fact]
    public async Task a_malformed_kept_checkpoint_is_a_clear_error()
    {
        var response = await (await host.ClientFor("regulator")).GetAsync("/api/checkpoints/verify?known=12:abc");
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldContain("64 hex digits");
        var (exit, output) = await Cli("verify-checkpoints", "--known", "twelve");
        exit.ShouldBe(CliVerbs.Usage);
        output.ShouldContain("--known takes the checkpoint you kept");
    }

    [Fact]
    public async Task the_tables_start_up_waits_for_a_checkpoint_being_written_instead_of_deadlocking_with_it()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // A Host mid-way through a checkpoint: under the writer's lock, its checkpoint row written, its leaves not yet.
        await using var writer = new Npgsql.NpgsqlConnection(host.Database.ConnectionString);
        await writer.OpenAsync(cancellation);
        await using var transaction = await writer.BeginTransactionAsync(cancellation);
        async Task Write(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, writer, transaction);
            await command.ExecuteNonQueryAsync(cancellation);
        }
        await Write($"select pg_advisory_xact_lock({Host.Integrity.Checkpoints.CheckpointWriter.WriterLock})");
        await Write("insert into vb.vb_checkpoints (number, created_at, previous_hash, tree_size, root, hash, signature, signer, kind) " +
            "values (-1, now(), 'p', 1, 'r', 'deadlock-test', '\\x00', 'test', 'test')");

        // A command-line verb starts meanwhile and ensures the tables.
        await using var source = Npgsql.NpgsqlDataSource.Create(host.Database.ConnectionString + ";Application Name=checkpoint-ddl");
        var ensure = Host.Integrity.Checkpoints.CheckpointTables.EnsureAsync(source, cancellation);
        await Eventually.Until(async () =>
            {
                await using var probe = source.CreateCommand("select count(*) from pg_stat_activity where application_name = 'checkpoint-ddl' and wait_event_type = 'Lock'");
                return (long)(await probe.ExecuteScalarAsync(cancellation))!;
            },
            waiting => waiting == 1, TimeSpan.FromSeconds(30), waiting => $"the start-up DDL is not waiting ({waiting} waiting)");

        // The writer goes on to the leaves: it must not meet the DDL holding them (PostgreSQL would end one as a deadlock).
        await Write("insert into vb.vb_checkpoint_leaves (checkpoint, position, case_id, version, head, proof) values (-1, 0, gen_random_uuid(), 1, 'h', '\\x00')");
        await transaction.RollbackAsync(cancellation);
        await ensure;
    }
}
