namespace VirtualBranch.Workflows.Media;

/// <summary>A recording being recorded: whose it is, how many segments it has, and its seal once sealed.</summary>
public sealed record StagedRecording(Guid CaseId, string MediaType, int Segments, RecordingSeal? Sealed);

/// <summary>One chunk of a segment as it waits: its place, its size, and when it arrived.</summary>
public sealed record StagedChunk(int Index, long Size, DateTimeOffset ArrivedAt);

/// <summary>
/// Where a recording's chunks wait until it is sealed, reachable by every Host: chunks uploaded to one Host are sealed
/// whole by another. A folder beside the evidence (<see cref="DirectoryRecordingStaging"/>, shared like it) or PostgreSQL
/// (<see cref="PostgresRecordingStaging"/>). It keeps what arrived; <see cref="LocalMediaAdapter"/> decides what to accept.
/// </summary>
public interface IRecordingStaging
{
    /// <summary>The recording, or null when it was never started.</summary>
    Task<StagedRecording?> FindAsync(Guid recordingId, CancellationToken cancellation);

    /// <summary>Starts the recording with segment 0; starting it again keeps what the first start wrote.</summary>
    Task StartAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation);

    /// <summary>Opens segment <paramref name="segment"/> (the one after the last); opening it again changes nothing.</summary>
    Task AddSegmentAsync(Guid recordingId, int segment, CancellationToken cancellation);

    /// <summary>The segment's chunks from index 0 on, in order, up to the first one missing.</summary>
    Task<IReadOnlyList<StagedChunk>> ChunksAsync(Guid recordingId, int segment, CancellationToken cancellation);

    Task<byte[]?> ReadChunkAsync(Guid recordingId, int segment, int index, CancellationToken cancellation);

    /// <summary>Keeps the chunk at its index; false (and nothing written) when that index is held already, e.g. by another Host.</summary>
    Task<bool> AddChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, CancellationToken cancellation);

    /// <summary>Writes the first <paramref name="chunks"/> chunks of the segment, in order, to <paramref name="target"/>.</summary>
    Task CopySegmentAsync(Guid recordingId, int segment, int chunks, Stream target, CancellationToken cancellation);

    /// <summary>The recorder of the segment said it sent <paramref name="chunks"/> chunks.</summary>
    Task EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation);

    /// <summary>How many chunks the segment's recorder said it sent; null when it has not ended the segment.</summary>
    Task<int?> DeclaredChunksAsync(Guid recordingId, int segment, CancellationToken cancellation);

    /// <summary>Records the seal; a recording sealed before keeps its first seal.</summary>
    Task MarkSealedAsync(Guid recordingId, RecordingSeal seal, CancellationToken cancellation);

    /// <summary>
    /// Deletes the recording's waiting chunks (media of a person): once sealed they are copies of what the evidence store
    /// keeps, and when the case's personal data is erased they must go with it. What was started, segmented and sealed stays.
    /// </summary>
    Task DiscardChunksAsync(Guid recordingId, CancellationToken cancellation);
}
