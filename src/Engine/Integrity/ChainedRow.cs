namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// One stored event row as the verifier reads it: exactly what is in the database, nothing derived. The data is kept
/// as the UTF-8 bytes PostgreSQL sent: hashing and decoding work on them directly.
/// </summary>
public sealed record ChainedRow(
    long SequenceId,
    long Version,
    string EventType,
    byte[] Utf8Data,
    DateTimeOffset Timestamp,
    string? ActorId,
    string? ActorRole,
    string? RecordedAt,
    string? Hash,
    string? PreviousHash,
    string? CorrelationId,
    string? CausationId,
    string? ChainFormat = null);

/// <summary>
/// The answer of a verification, as the API and the CLI report it. <see cref="Anchor"/> says which signed checkpoint
/// vouches for the stream (or that none does yet).
/// </summary>
public sealed record VerificationResult(bool Intact, int EventsChecked, int FilesChecked, long? FirstBrokenVersion, string? Problem, string? Anchor = null)
{
    public static VerificationResult Ok(int events, int files) => new(true, events, files, null, null);

    public static VerificationResult Broken(int events, int files, long version, string problem) => new(false, events, files, version, problem);
}
