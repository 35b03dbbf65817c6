using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>
/// The queue fields of a case summary are columns of their own, written with the document: queues filter on indexed
/// columns, and a command that leaves them unchanged rewrites the row without touching an index.
/// </summary>
public sealed class SummaryColumnsTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task the_queue_columns_hold_what_the_summary_document_says_after_each_command()
    {
        var teller = await host.ClientFor("teller");
        var id = (await teller.OpenCase("service-request", new { customerName = "张三", amount = 500_000 })).Id();
        (await ColumnsAsync(id)).ShouldBe((await DocumentAsync(id)));
        (await ColumnsAsync(id))!.ShouldStartWith("running|service-request|");

        await teller.ResumeOk(id, "intake.1", new { confirmed = true, urgent = true });

        (await ColumnsAsync(id)).ShouldBe(await DocumentAsync(id));
    }

    [Fact]
    public async Task the_store_has_no_index_over_the_summary_document_itself()
    {
        var indexes = await host.Database.ScalarAsync<string>(
            "select string_agg(indexdef, ' | ') from pg_indexes where schemaname = 'vb' and tablename = 'mt_doc_casesummary'");
        indexes.ShouldNotBeNull();
        indexes.ShouldNotContain("data", Case.Insensitive);
        foreach (var column in new[] { "(status)", "(definition_id)", "(due_at)", "(assignee)", "(number)" })
        {
            indexes.ShouldContain(column);
        }
    }

    private Task<string?> ColumnsAsync(Guid id) => host.Database.ScalarAsync<string>(
        $"select concat_ws('|', status, definition_id, number, coalesce(assignee, '-'), coalesce(to_char(due_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), '-')) from vb.mt_doc_casesummary where id = '{id}'");

    private Task<string?> DocumentAsync(Guid id) => host.Database.ScalarAsync<string>(
        $"select concat_ws('|', data ->> 'Status', data ->> 'DefinitionId', data ->> 'Number', coalesce(data ->> 'Assignee', '-'), " +
        $"coalesce(to_char((data ->> 'DueAt')::timestamptz at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), '-')) from vb.mt_doc_casesummary where id = '{id}'");
}
