namespace VirtualBranch.Engine.Integrity;

/// <summary>What a store answers when it has kept a file: the file's SHA-256 (its name) and its size in bytes.</summary>
public sealed record StoredContent(string Sha256, long Size);

/// <summary>
/// Where the files that events vouch for are kept (recordings, documents, ID-card images, contracts): by their SHA-256,
/// written once and never changed, reachable from every Host. Two kinds pass the same contract: a shared directory
/// (<see cref="DirectoryEvidenceStore"/>) and PostgreSQL itself (<see cref="PostgresEvidenceStore"/>).
/// A hash that is not 64 hex digits is refused with an <see cref="ArgumentException"/> before anything is touched.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Where the files are, for an operator (a folder, or the database table).</summary>
    string Location { get; }

    /// <summary>Keeps the content and answers its hash and size; keeping the same content again changes nothing.</summary>
    Task<StoredContent> PutAsync(Stream content, CancellationToken cancellation);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellation);

    /// <summary>The content as a seekable, read-only stream (so ranges of a recording are served without reading it all); null when it is not kept.</summary>
    Task<Stream?> OpenAsync(string sha256, CancellationToken cancellation);

    /// <summary>Null when the file is kept and still has its hash; otherwise what is wrong, in one sentence (a malformed hash included).</summary>
    Task<string?> CheckAsync(EvidenceFile file, CancellationToken cancellation);

    /// <summary>
    /// Removes content: an upload whose command was then refused (by the caller that put it and saw it absent before), or
    /// a case's files at the end of its retention, once the case has recorded that it erases them. Nothing else ever
    /// removes evidence.
    /// </summary>
    Task DiscardAsync(string sha256, CancellationToken cancellation);
}
