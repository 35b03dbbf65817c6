using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>Verifies a case: the hash chain from the stored rows, and every file its events vouch for.</summary>
public sealed class CaseVerifier(StoredEvents events, EvidenceStore files)
{
    public async Task<VerificationResult?> VerifyAsync(Guid caseId, CancellationToken cancellation)
    {
        var (rows, streamVersion) = await events.ReadAsync(caseId, cancellation);
        if (rows.Count == 0 && streamVersion is null)
        {
            return null;
        }
        return Verify(new StoredStream(caseId, rows, streamVersion));
    }

    public VerificationResult Verify(StoredStream stream) =>
        ChainVerifier.Verify(stream.CaseId, stream.Rows, stream.StreamVersion, row => EvidenceFiles.In(row.Utf8Data) is var vouched
            ? (vouched.Count, vouched.Select(files.Check).FirstOrDefault(p => p is not null))
            : default);
}
