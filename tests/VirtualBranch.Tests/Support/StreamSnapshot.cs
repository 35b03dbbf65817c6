namespace VirtualBranch.Tests.Support;

/// <summary>The stored rows of a case's stream as text, to prove a refused request changed nothing.</summary>
public static class StreamSnapshot
{
    public static Task<string?> Of(TestDatabase database, Guid caseId) => database.ScalarAsync<string>($"""
        select coalesce(string_agg(concat_ws('|', seq_id, version, type, data::text, timestamp, headers::text), E'\n' order by seq_id), '')
               || '#' || (select concat_ws('|', version, timestamp) from vb.mt_streams where id = '{caseId}')
               || '#' || (select data::text from vb.mt_doc_casesummary where id = '{caseId}')
        from vb.mt_events where stream_id = '{caseId}'
        """);
}
