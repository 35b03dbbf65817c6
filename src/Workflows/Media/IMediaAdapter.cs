namespace VirtualBranch.Workflows.Media;

/// <summary>A video room for one case: join tokens for the teller and the customer, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record MediaSession(Guid SessionId, Guid CaseId, string TellerJoinToken, string CustomerJoinToken, DateTimeOffset ExpiresAt);

/// <summary>What became of an uploaded chunk.</summary>
public enum ChunkStatus
{
    Accepted,
    AlreadyHad,
    Gap,
    HashMismatch,
    Sealed,
    UnknownRecording,
    TooLarge,
}

/// <summary>The answer to a chunk upload; <see cref="Reason"/> says why a chunk was refused.</summary>
public sealed record ChunkResult(ChunkStatus Status, int NextIndex, string? Reason)
{
    public bool Ok => Status is ChunkStatus.Accepted or ChunkStatus.AlreadyHad;
}

/// <summary>A sealed recording: content hash, size, media type, how many chunks, and which never arrived.</summary>
public sealed record RecordingSeal(Guid RecordingId, string Sha256, long Size, string MediaType, int Chunks, IReadOnlyList<int> MissingChunks);

/// <summary>
/// Video sessions and recordings for cases. The default adapter runs on one machine with nothing external; adapters
/// for cloud real-time video plug in behind the same contract and pass the same contract tests.
/// </summary>
public interface IMediaAdapter
{
    Task<MediaSession> CreateSessionAsync(Guid caseId, Guid sessionId, DateTimeOffset expiresAt, CancellationToken cancellation);

    Task ReportParticipantAsync(Guid sessionId, string role, bool joined, CancellationToken cancellation);

    Task StartRecordingAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation);

    /// <summary>
    /// Chunks arrive in order from 0; the same chunk again is a no-op; a gap, another hash, a write after sealing, or a chunk
    /// that would take the recording past <paramref name="maxBytes"/> is refused.
    /// </summary>
    Task<ChunkResult> AppendChunkAsync(Guid recordingId, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes, CancellationToken cancellation);

    /// <summary>Seals the recording (idempotent): the chunks in order become one content-addressed file.</summary>
    Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation);

    /// <summary>A sealed recording's content, for playback; null when there is none with that hash.</summary>
    Stream? OpenSealed(string sha256);

    Task EndSessionAsync(Guid sessionId, CancellationToken cancellation);
}
