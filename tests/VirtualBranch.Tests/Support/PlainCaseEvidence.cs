using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Support;

/// <summary>A case's files straight in a store, by content, unsealed: for testing what sits above the case's files (the media adapter) without a key store.</summary>
public sealed class PlainCaseEvidence(IEvidenceStore store) : ICaseEvidence
{
    public string Location => store.Location;

    public Task<StoredContent> PutAsync(Guid caseId, Stream content, CancellationToken cancellation) => store.PutAsync(content, cancellation);

    public Task<bool> ExistsAsync(Guid caseId, string sha256, CancellationToken cancellation) => store.ExistsAsync(sha256, cancellation);

    public Task<Stream?> OpenAsync(Guid caseId, string sha256, CancellationToken cancellation) => store.OpenAsync(sha256, cancellation);

    public Task<string?> CheckAsync(Guid caseId, EvidenceFile file, CancellationToken cancellation) => store.CheckAsync(file, cancellation);

    public Task DiscardAsync(Guid caseId, string sha256, CancellationToken cancellation) => store.DiscardAsync(sha256, cancellation);
}
