using Marten;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Rebuilds the <see cref="CaseSummary"/> projection from the case streams alone: every case is folded and its summary
/// replaced, one transaction per scanned batch (queues keep working, and a store of 100,000 cases is not one giant
/// transaction), then the summaries whose stream is gone are removed. A stream that does not fold into a case is named,
/// not guessed at, and keeps its last summary. Run it while no commands are being handled: a command that lands between
/// the read and the write of its case's batch would see its summary replaced by the state just before it until the
/// case's next command.
/// </summary>
public sealed class SummaryRebuild(IDocumentStore store, StoredEvents events, EventDecoder decoder, DefinitionCatalog catalog)
{
    /// <returns>The cases summarised, the events read, and the streams that could not be folded into a case (verify them).</returns>
    public async Task<(int Cases, long Events, IReadOnlyList<Guid> Unreadable)> RunAsync(Action<int>? progress, CancellationToken cancellation)
    {
        var ids = await events.AllCaseIdsAsync(cancellation);
        var (cases, read, unreadable) = (0, 0L, new List<Guid>());
        await foreach (var batch in events.ScanAsync(ids, cancellation))
        {
            var folded = batch.AsParallel().AsOrdered().Select(stream => (stream.CaseId, stream.Rows.Count, State: FoldOrNull(stream))).ToList();
            await using var session = store.LightweightSession();
            foreach (var (caseId, rows, state) in folded)
            {
                read += rows;
                cases++;
                progress?.Invoke(cases);
                if (state is null)
                {
                    unreadable.Add(caseId);
                    continue;
                }
                session.Store(CaseSummary.From(state, catalog));
            }
            await session.SaveChangesAsync(cancellation);
        }
        // Only summaries whose stream is gone are removed: an unreadable case keeps its (last good) summary, which also keeps
        // it on the list verify --all works through, and a case opened while this ran keeps the summary its command wrote.
        await using (var cleanup = store.LightweightSession())
        {
            cleanup.QueueSqlCommand("delete from vb.mt_doc_casesummary where id not in (select id from vb.mt_streams)");
            await cleanup.SaveChangesAsync(cancellation);
        }
        return (cases - unreadable.Count, read, unreadable);
    }

    /// <summary>The case's state, or null when its stream does not fold into a case (first event missing or retyped, data unreadable).</summary>
    private CaseState? FoldOrNull(StoredStream stream)
    {
        if (stream.Rows.Count == 0 || stream.Rows[0].Version != 1)
        {
            return null;
        }
        try
        {
            return decoder.Fold(stream.Rows);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
