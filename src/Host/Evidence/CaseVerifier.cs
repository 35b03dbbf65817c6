using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Verifies a case: the hash chain from the stored rows, every file its events vouch for, its seals against the trust
/// store, and the stream against the latest signed checkpoint that anchors it.
/// </summary>
public sealed class CaseVerifier(StoredEvents events, ICaseEvidence files, TrustStore trust, CheckpointReader checkpoints, CheckpointVerifier anchors)
{
    public async Task<VerificationResult?> VerifyAsync(Guid caseId, CancellationToken cancellation)
    {
        var (rows, streamVersion) = await events.ReadAsync(caseId, cancellation);
        var leaves = await checkpoints.LatestLeavesAsync([caseId], cancellation);
        if (rows.Count == 0 && streamVersion is null && leaves.Count == 0)
        {
            return null; // never a case here: a case that was deleted is still named by its checkpoints
        }
        var latest = await checkpoints.LatestAsync(SignedCheckpoint.Scheduled, cancellation);
        var checks = await FileChecks.OfAsync(files, caseId, rows, cancellation);
        return Verify(new StoredStream(caseId, rows, streamVersion), checks, leaves.GetValueOrDefault(caseId), latest);
    }

    /// <summary>Many cases at once (verify --all): their leaves in one query, each case checked by <see cref="Verify(StoredStream, FileChecks, AnchoredLeaf?, SignedCheckpoint?)"/>.</summary>
    public async Task<IReadOnlyList<(Guid CaseId, VerificationResult Result)>> VerifyBatchAsync(IReadOnlyList<StoredStream> batch, SignedCheckpoint? latestScheduled,
        Func<StoredStream, Func<VerificationResult>, VerificationResult> guard, CancellationToken cancellation)
    {
        var leaves = await checkpoints.LatestLeavesAsync([.. batch.Select(s => s.CaseId)], cancellation);
        // Hashing the files is most of the work of verify --all: every core, as the chain walks below.
        var checks = new System.Collections.Concurrent.ConcurrentDictionary<Guid, FileChecks>();
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation },
            async (stream, token) => checks[stream.CaseId] = await FileChecks.OfAsync(files, stream.CaseId, stream.Rows, token));
        return [.. batch.AsParallel().AsOrdered().Select(stream =>
            (stream.CaseId, guard(stream, () => Verify(stream, checks[stream.CaseId], leaves.GetValueOrDefault(stream.CaseId), latestScheduled))))];
    }

    public VerificationResult Verify(StoredStream stream, FileChecks checks, AnchoredLeaf? anchored, SignedCheckpoint? latestScheduled)
    {
        var chain = ChainVerifier.Verify(stream.CaseId, stream.Rows, stream.StreamVersion, checks.Of);
        if (!chain.Intact)
        {
            return chain;
        }
        if (SealVerifier.Check(stream.Rows, trust) is var (version, problem))
        {
            return VerificationResult.Broken(chain.EventsChecked, chain.FilesChecked, version, problem);
        }
        var anchor = anchors.Check(stream.Rows, anchored, latestScheduled);
        return anchor.Holds
            ? chain with { Anchor = anchor.Description }
            : VerificationResult.Broken(chain.EventsChecked, chain.FilesChecked, anchor.FirstBrokenVersion ?? 1, anchor.Description) with { Anchor = anchor.Description };
    }
}
