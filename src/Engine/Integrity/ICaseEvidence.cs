namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// A case's evidence files (its recordings, documents, contracts), each named by the SHA-256 of its content as the case's
/// events vouch for it. What the product reads and writes through; how the bytes are kept (sealed under the case's key,
/// in an <see cref="IEvidenceStore"/>) is the implementation's. A hash that is not 64 hex digits is refused with an
/// <see cref="ArgumentException"/> before anything is touched.
/// </summary>
public interface ICaseEvidence
{
    /// <summary>Where the files are, for an operator.</summary>
    string Location { get; }

    /// <summary>Keeps the content for the case and answers its hash and size; keeping the same content again for the case changes nothing.</summary>
    Task<StoredContent> PutAsync(Guid caseId, Stream content, CancellationToken cancellation);

    /// <summary>Whether the case's file is kept and can still be read (false once the case's personal data is erased).</summary>
    Task<bool> ExistsAsync(Guid caseId, string sha256, CancellationToken cancellation);

    /// <summary>The content as a seekable, read-only stream; null when it is not kept or can no longer be read.</summary>
    Task<Stream?> OpenAsync(Guid caseId, string sha256, CancellationToken cancellation);

    /// <summary>Null when the case's file is kept and still has its hash; otherwise what is wrong, in one sentence.</summary>
    Task<string?> CheckAsync(Guid caseId, EvidenceFile file, CancellationToken cancellation);

    /// <summary>
    /// Removes the case's file: an upload whose command was then refused (by the caller that put it and saw it absent
    /// before), or at the end of the case's retention, once the case has recorded that it erases it.
    /// </summary>
    Task DiscardAsync(Guid caseId, string sha256, CancellationToken cancellation);
}
