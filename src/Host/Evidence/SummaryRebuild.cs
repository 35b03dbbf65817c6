using Marten;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Rebuilds the <see cref="CaseSummary"/> projection from the case streams alone, in one transaction: queues see either
/// the old summaries or the new ones, never a half-built table.
/// </summary>
public sealed class SummaryRebuild(IDocumentStore store, StoredEvents events, EventDecoder decoder, DefinitionCatalog catalog)
{
    /// <returns>The cases summarised, the events read, and the streams that could not be folded into a case (verify them).</returns>
    public async Task<(int Cases, long Events, IReadOnlyList<Guid> Unreadable)> RunAsync(Action<int>? progress, CancellationToken cancellation)
    {
        var ids = await events.AllCaseIdsAsync(cancellation);
        await using var session = store.LightweightSession();
        session.DeleteWhere<CaseSummary>(_ => true);
        var (cases, read, unreadable) = (0, 0L, new List<Guid>());
        await foreach (var batch in events.ScanAsync(ids, cancellation))
        {
            var folded = batch.AsParallel().AsOrdered()
                .Select(stream => (stream.CaseId, stream.Rows.Count, State: stream.Rows.Count > 0 && stream.Rows[0].Version == 1 ? decoder.Fold(stream.Rows) : null));
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
                session.Insert(CaseSummary.From(state, catalog));
            }
        }
        await session.SaveChangesAsync(cancellation);
        return (cases - unreadable.Count, read, unreadable);
    }
}
