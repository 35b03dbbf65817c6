using Npgsql;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// What the streams and the message tables say after a chaos run, checked against the driver's log: the cases it opened
/// and no others, each step once and by the command the driver sent for it, each deadline once, no message left
/// undelivered or dead, and every chain intact by the command-line <c>verify --all</c> a regulator runs.
/// </summary>
public static class ChaosAudit
{
    public sealed record Report(int StepsChecked, long MessagesReleased);

    public static async Task<Report> CheckAsync(TwoHostProcesses hosts, IReadOnlyList<Guid> ids, IEnumerable<SentCommand> log)
    {
        var db = hosts.Database;
        var stranded = await db.ScalarAsync<long>("select count(*) from vb.wolverine_incoming_envelopes where status <> 'Handled'");
        // A message a killed Host had accepted stays its own until the living nodes see it is gone and release it (Wolverine's
        // stale-node ejection, a minute or two); then another Host carries it out.
        await Eventually.Until(() => db.ScalarAsync<long>("select count(*) from vb.wolverine_incoming_envelopes where status <> 'Handled'"), n => n == 0,
            TimeSpan.FromMinutes(5), n => $"{n} messages accepted by a killed Host were never carried out by another");

        ids.Distinct().Count().ShouldBe(ids.Count, "a retried open answered with the case it opened, never a second case");
        var opened = await RowsAsync(db, "select stream_id::text from vb.mt_events where type = 'case_opened'");
        opened.Select(r => Guid.Parse(r[0])).Order().ShouldBe(ids.Order(), "exactly the cases the driver opened, none twice");

        // Each step of each case taken once: one event where its command left it (with the resume that led to it).
        var steps = await RowsAsync(db, """
            select stream_id::text, data->>'StepId', count(*), string_agg(coalesce(headers->>'idempotency-key', ''), ',')
            from vb.mt_events where type = 'step_completed' and data->>'StepId' in ('first', 'wait', 'second') group by 1, 2
            """);
        steps.Count.ShouldBe(ids.Count * 3, "first, wait and second completed in every case");
        steps.Where(r => r[2] != "1").ShouldBeEmpty("no step completed twice");
        var sentKeys = log.Where(c => c.What is "first" or "second").ToDictionary(c => (c.CaseId!.Value.ToString(), c.What), c => c.Key);
        sentKeys.Count.ShouldBe(ids.Count * 2);
        steps.Where(r => r[1] != "wait" && sentKeys[(r[0], r[1])] != r[3])
            .ShouldBeEmpty("each step was completed by the very command the driver sent for it");

        var fired = await RowsAsync(db, "select stream_id::text, count(*) from vb.mt_events where type = 'deadline_reached' group by 1");
        fired.Count.ShouldBe(ids.Count, "every case's timer fired");
        fired.Where(r => r[1] != "1").ShouldBeEmpty("no deadline fired twice");
        (await db.ScalarAsync<long>("select count(*) from vb.mt_events where type = 'case_completed'")).ShouldBe(ids.Count);

        (await db.ScalarAsync<long>("select count(*) from vb.wolverine_outgoing_envelopes")).ShouldBe(0L, "no message left in the outbox");
        (await db.ScalarAsync<long>("select count(*) from vb.wolverine_dead_letters")).ShouldBe(0L, "no message given up on");

        var verify = await HostProcess.RunToExitAsync(["verify", "--all"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = db.ConnectionString,
            ["Engine__DataDirectory"] = hosts.DataDirectory,
        });
        verify.ExitCode.ShouldBe(0, verify.Output + verify.Errors);
        return new Report(steps.Count + fired.Count, stranded);
    }

    private static async Task<List<string[]>> RowsAsync(TestDatabase db, string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }
        return rows;
    }
}
