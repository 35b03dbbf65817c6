using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>Verifies a case: the hash chain from the stored rows, every file its events vouch for, and its seals against the trust store.</summary>
public sealed class CaseVerifier(StoredEvents events, EvidenceStore files, TrustStore trust)
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

    public VerificationResult Verify(StoredStream stream)
    {
        var chain = ChainVerifier.Verify(stream.CaseId, stream.Rows, stream.StreamVersion, row => EvidenceFiles.In(row.Utf8Data) is var vouched
            ? (vouched.Count, vouched.Select(f => files.Check(f) is { } problem ? $"{problem} (vouched for by version {row.Version}, {row.EventType})" : null)
                .FirstOrDefault(p => p is not null))
            : default);
        return chain.Intact && SealVerifier.Check(stream.Rows, trust) is var (version, problem)
            ? VerificationResult.Broken(chain.EventsChecked, chain.FilesChecked, version, problem)
            : chain;
    }
}
