using Marten;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Rebuilds the <see cref="CaseSummary"/> projection from the case streams alone: every case is folded and its summary
/// replaced, one transaction per scanned batch (queues keep working, and a store of 100,000 cases is not one giant
/// transaction), then the summaries of streams that are not, or no longer, readable cases are removed. Run it while no
/// commands are being handled: a command that lands between the read and the write of its case's batch would see its
/// summary replaced by the state just before it until the case's next command.
/// </summary>
public sealed class SummaryRebuild(IDocumentStore store, StoredEvents events, EventDecoder decoder, DefinitionCatalog catalog)
{
    /// <returns>The cases summarised, the events read, and the streams that could not be folded into a case (verify them).</returns>
    public async Task<(int Cases, long Events, IReadOnlyList<Guid> Unreadable)> RunAsync(Action<int>? progress, CancellationToken cancellation)
    {
        var ids = await events.AllCaseIdsAsync(cancellation);
        var (cases, read, unreadable, rebuilt) = (0, 0L, new List<Guid>(), new List<Guid>(ids.Count));
        await foreach (var batch in events.ScanAsync(ids, cancellation))
        {
            var folded = batch.AsParallel().AsOrdered()
                .Select(stream => (stream.CaseId, stream.Rows.Count, State: stream.Rows.Count > 0 && stream.Rows[0].Version == 1 ? decoder.Fold(stream.Rows) : null))
                .ToList();
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
                rebuilt.Add(caseId);
            }
            await session.SaveChangesAsync(cancellation);
        }
        await using (var cleanup = store.LightweightSession())
        {
            var keep = rebuilt.ToArray();
            cleanup.DeleteWhere<CaseSummary>(s => !keep.Contains(s.Id));
            await cleanup.SaveChangesAsync(cancellation);
        }
        return (rebuilt.Count, read, unreadable);
    }
}
