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

/// <summary>A new segment of a recording, or why none could be opened; when the segment before it took its last chunk.</summary>
public sealed record SegmentResult(ChunkStatus Status, int Segment, string? Reason, DateTimeOffset? PreviousEndedAt = null);

/// <summary>
/// One segment of a sealed recording: what one recorder wrote without a break (a reload or a new recorder starts the next),
/// as its own content-addressed file, with the times its first and last chunk arrived.
/// </summary>
public sealed record SegmentSeal(int Segment, string Sha256, long Size, int Chunks, DateTimeOffset FirstChunkAt, DateTimeOffset LastChunkAt)
{
    /// <summary>How many chunks its recorder said it sent, when it ended the segment; more than <see cref="Chunks"/> means some never arrived.</summary>
    public int? DeclaredChunks { get; init; }
}

/// <summary>A sealed recording: its media type and its segments in order (none when no media ever arrived).</summary>
public sealed record RecordingSeal(Guid RecordingId, string MediaType, IReadOnlyList<SegmentSeal> Segments)
{
    public long Size => Segments.Sum(s => s.Size);

    public int Chunks => Segments.Sum(s => s.Chunks);
}

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
    /// The segment a new recorder writes to: the next one, or the last one again when nothing reached it yet. Segment 0
    /// exists from the start; a reloaded page or a restarted recorder asks for the next.
    /// </summary>
    Task<SegmentResult> OpenSegmentAsync(Guid recordingId, CancellationToken cancellation);

    /// <summary>
    /// Chunks of a segment arrive in order from 0; the same chunk again is a no-op; a gap, another hash, a write after sealing,
    /// a segment never opened, or a chunk that would take the recording past <paramref name="maxBytes"/> is refused.
    /// </summary>
    Task<ChunkResult> AppendChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes, CancellationToken cancellation);

    /// <summary>The recorder of a segment stopped after sending <paramref name="chunks"/> chunks; the seal compares them with what arrived.</summary>
    Task<ChunkResult> EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation);

    /// <summary>When the latest chunk of a segment whose recorder has not ended it arrived (null when every segment is ended or empty).</summary>
    Task<DateTimeOffset?> LastOpenChunkAtAsync(Guid recordingId, CancellationToken cancellation);

    /// <summary>Seals the recording (idempotent): each segment's chunks in order become one content-addressed file.</summary>
    Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation);

    /// <summary>A sealed recording's content, for playback; null when the case has none with that hash (or it was erased).</summary>
    Task<Stream?> OpenSealedAsync(Guid caseId, string sha256, CancellationToken cancellation);

    Task EndSessionAsync(Guid sessionId, CancellationToken cancellation);
}
