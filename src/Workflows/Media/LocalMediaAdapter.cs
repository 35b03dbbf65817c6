using System.Collections.Concurrent;
using System.Security.Cryptography;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// The default adapter: sessions live in the Host, chunks wait in a staging area every Host reaches as they arrive (each
/// acknowledged only once kept), and sealing writes each segment once into the content-addressed evidence store. What it
/// knows is in the staging and the store, so a restart loses nothing and another Host can seal what this one received.
/// </summary>
public sealed class LocalMediaAdapter(IRecordingStaging staging, ICaseEvidence evidence) : IMediaAdapter
{
    private readonly ConcurrentDictionary<Guid, MediaSession> _sessions = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<Guid, RecordingTally> _tallies = new();

    public Task<MediaSession> CreateSessionAsync(Guid caseId, Guid sessionId, DateTimeOffset expiresAt, CancellationToken cancellation) =>
        Task.FromResult(_sessions.GetOrAdd(sessionId, id => new MediaSession(id, caseId, Token(), Token(), expiresAt)));

    public Task ReportParticipantAsync(Guid sessionId, string role, bool joined, CancellationToken cancellation) => Task.CompletedTask;

    public Task EndSessionAsync(Guid sessionId, CancellationToken cancellation)
    {
        _sessions.TryRemove(sessionId, out _);
        return Task.CompletedTask;
    }

    public Task StartRecordingAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation) =>
        staging.StartAsync(recordingId, caseId, mediaType, cancellation);

    public Task<SegmentResult> OpenSegmentAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var recording = await staging.FindAsync(recordingId, cancellation);
        if (Refusal(recordingId, recording) is { } refused)
        {
            return new SegmentResult(refused.Status, 0, refused.Reason);
        }
        var last = recording!.Segments - 1;
        var chunks = await staging.ChunksAsync(recordingId, last, cancellation);
        if (chunks.Count == 0)
        {
            return new SegmentResult(ChunkStatus.Accepted, last, null); // nothing reached it: the new recorder takes it over
        }
        await staging.AddSegmentAsync(recordingId, last + 1, cancellation);
        return new SegmentResult(ChunkStatus.Accepted, last + 1, null, chunks[^1].ArrivedAt);
    }, cancellation);

    public Task<ChunkResult> AppendChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes,
        CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var recording = await staging.FindAsync(recordingId, cancellation);
        if (Refusal(recordingId, recording) is { } refused)
        {
            return refused;
        }
        if (segment < 0 || segment >= recording!.Segments)
        {
            return new ChunkResult(ChunkStatus.Gap, 0, $"Segment {segment} of recording {recordingId} was never opened; open a segment first.");
        }
        var tally = await TallyAsync(recordingId, recording, fresh: false, cancellation);
        var next = await tally.NextInAsync(segment, cancellation);
        if (index > next)
        {
            // Another Host may have taken the chunks in between: count again before calling it a gap.
            tally = await TallyAsync(recordingId, recording, fresh: true, cancellation);
            next = await tally.NextInAsync(segment, cancellation);
        }
        var actual = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        if (actual != sha256)
        {
            return new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} hashes to {actual}, not {sha256} as the Content-Digest says.");
        }
        if (index < next)
        {
            return await AlreadyHeld(recordingId, segment, index, sha256, next, cancellation);
        }
        if (index > next)
        {
            return new ChunkResult(ChunkStatus.Gap, next, $"Chunk {index} arrived but chunk {next} is missing; send chunks in order.");
        }
        if (tally.Held + content.Length > maxBytes)
        {
            return new ChunkResult(ChunkStatus.TooLarge, next, $"Recording {recordingId} holds {tally.Held:N0} bytes; chunk {index} ({content.Length:N0} bytes) would take it past the scenario's limit of {maxBytes:N0} bytes.");
        }
        if (!await staging.AddChunkAsync(recordingId, segment, index, content, cancellation))
        {
            _tallies.TryRemove(recordingId, out _); // another Host kept this index first
            return await AlreadyHeld(recordingId, segment, index, sha256, next + 1, cancellation);
        }
        tally.Accepted(segment, content.Length);
        return new ChunkResult(ChunkStatus.Accepted, next + 1, null);
    }, cancellation);

    private async Task<ChunkResult> AlreadyHeld(Guid recordingId, int segment, int index, string sha256, int next, CancellationToken cancellation)
    {
        var stored = await staging.ReadChunkAsync(recordingId, segment, index, cancellation);
        return stored is not null && Convert.ToHexStringLower(SHA256.HashData(stored)) == sha256
            ? new ChunkResult(ChunkStatus.AlreadyHad, next, null)
            : new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} was already stored with another content.");
    }

    private async Task<RecordingTally> TallyAsync(Guid recordingId, StagedRecording recording, bool fresh, CancellationToken cancellation)
    {
        if (!fresh && _tallies.TryGetValue(recordingId, out var kept))
        {
            return kept;
        }
        var tally = await RecordingTally.CountAsync(staging, recordingId, recording.Segments, cancellation);
        _tallies[recordingId] = tally;
        return tally;
    }

    public Task<ChunkResult> EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var recording = await staging.FindAsync(recordingId, cancellation);
        if (Refusal(recordingId, recording) is { } refused)
        {
            return refused;
        }
        if (segment < 0 || segment >= recording!.Segments || chunks < 0)
        {
            return new ChunkResult(ChunkStatus.Gap, 0, $"Recording {recordingId} has no segment {segment} to end.");
        }
        await staging.EndSegmentAsync(recordingId, segment, chunks, cancellation);
        return new ChunkResult(ChunkStatus.Accepted, (await staging.ChunksAsync(recordingId, segment, cancellation)).Count, null);
    }, cancellation);

    public Task<DateTimeOffset?> LastOpenChunkAtAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        DateTimeOffset? latest = null;
        var segments = (await staging.FindAsync(recordingId, cancellation))?.Segments ?? 0;
        for (var segment = 0; segment < segments; segment++)
        {
            var chunks = await staging.ChunksAsync(recordingId, segment, cancellation);
            if (chunks.Count > 0 && await staging.DeclaredChunksAsync(recordingId, segment, cancellation) is null && (latest is null || chunks[^1].ArrivedAt > latest))
            {
                latest = chunks[^1].ArrivedAt;
            }
        }
        return latest;
    }, cancellation);

    public Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var recording = await staging.FindAsync(recordingId, cancellation);
        if (recording?.Sealed is { } kept)
        {
            await staging.DiscardChunksAsync(recordingId, cancellation); // a seal interrupted before it discarded them
            return kept;
        }
        var segments = new List<SegmentSeal>();
        for (var segment = 0; segment < (recording?.Segments ?? 0); segment++)
        {
            var chunks = await staging.ChunksAsync(recordingId, segment, cancellation);
            if (chunks.Count == 0)
            {
                continue; // opened, then left before any media arrived
            }
            await using var whole = new MemoryStream();
            await staging.CopySegmentAsync(recordingId, segment, chunks.Count, whole, cancellation);
            whole.Position = 0;
            var (sha, size) = await evidence.PutAsync(recording!.CaseId, whole, cancellation);
            segments.Add(new SegmentSeal(segment, sha, size, chunks.Count, chunks[0].ArrivedAt, chunks[^1].ArrivedAt)
            {
                DeclaredChunks = await staging.DeclaredChunksAsync(recordingId, segment, cancellation),
            });
        }
        var seal = new RecordingSeal(recordingId, recording?.MediaType ?? "video/webm", segments);
        if (segments.Count > 0)
        {
            // An empty recording stays open: the step reports it, and media that still arrives can be sealed on a retry.
            await staging.MarkSealedAsync(recordingId, seal, cancellation);
            await staging.DiscardChunksAsync(recordingId, cancellation); // the evidence store keeps them now, and only it
        }
        return seal;
    }, cancellation);

    public Task<Stream?> OpenSealedAsync(Guid caseId, string sha256, CancellationToken cancellation) => evidence.OpenAsync(caseId, sha256, cancellation);

    private static ChunkResult? Refusal(Guid recordingId, StagedRecording? recording) =>
        recording is null ? new ChunkResult(ChunkStatus.UnknownRecording, 0, $"Recording {recordingId} has not been started.")
        : recording.Sealed is not null ? new ChunkResult(ChunkStatus.Sealed, 0, $"Recording {recordingId} is sealed; nothing more can be written to it.")
        : null;

    // One Host's calls on a recording in order; across Hosts the staging's write-once chunks and the recount on a gap keep it right.
    private async Task<T> Locked<T>(Guid recordingId, Func<Task<T>> work, CancellationToken cancellation)
    {
        var gate = _locks.GetOrAdd(recordingId, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(cancellation);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
}
