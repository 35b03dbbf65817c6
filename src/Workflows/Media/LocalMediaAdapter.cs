using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// The default adapter: sessions live in the Host, chunks are kept under <c>{root}/{recordingId}/</c> as they arrive (segment 0
/// at the top, segment N in <c>segment-NNN/</c>; each chunk acknowledged only once written), and sealing writes each segment
/// once into the content-addressed evidence store. Everything it knows is on disk, so a restart loses nothing; folders 0700
/// and files 0600, like the evidence. A chunk's arrival time is its file's write time.
/// </summary>
public sealed class LocalMediaAdapter(string root, EvidenceStore evidence) : IMediaAdapter
{
    private readonly ConcurrentDictionary<Guid, MediaSession> _sessions = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    private sealed record Meta(Guid CaseId, string MediaType);

    public Task<MediaSession> CreateSessionAsync(Guid caseId, Guid sessionId, DateTimeOffset expiresAt, CancellationToken cancellation) =>
        Task.FromResult(_sessions.GetOrAdd(sessionId, id => new MediaSession(id, caseId, Token(), Token(), expiresAt)));

    public Task ReportParticipantAsync(Guid sessionId, string role, bool joined, CancellationToken cancellation) => Task.CompletedTask;

    public Task EndSessionAsync(Guid sessionId, CancellationToken cancellation)
    {
        _sessions.TryRemove(sessionId, out _);
        return Task.CompletedTask;
    }

    public async Task StartRecordingAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation)
    {
        PrivateFiles.Folder(root);
        var folder = Folder(recordingId);
        PrivateFiles.Folder(folder);
        var meta = Path.Combine(folder, "meta.json");
        if (!File.Exists(meta))
        {
            await PrivateFiles.WriteAsync(meta, JsonSerializer.SerializeToUtf8Bytes(new Meta(caseId, mediaType)), cancellation);
        }
    }

    public Task<SegmentResult> OpenSegmentAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, () =>
    {
        var folder = Folder(recordingId);
        if (Refusal(recordingId, folder) is { } refused)
        {
            return Task.FromResult(new SegmentResult(refused.Status, 0, refused.Reason));
        }
        var last = SegmentCount(folder) - 1;
        if (ChunkCount(SegmentFolder(folder, last)) == 0)
        {
            return Task.FromResult(new SegmentResult(ChunkStatus.Accepted, last, null)); // nothing reached it: the new recorder takes it over
        }
        PrivateFiles.Folder(SegmentFolder(folder, last + 1));
        return Task.FromResult(new SegmentResult(ChunkStatus.Accepted, last + 1, null, Arrived(Chunks(SegmentFolder(folder, last))[^1])));
    }, cancellation);

    public Task<ChunkResult> AppendChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes,
        CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var folder = Folder(recordingId);
        if (Refusal(recordingId, folder) is { } refused)
        {
            return refused;
        }
        if (segment < 0 || segment >= SegmentCount(folder))
        {
            return new ChunkResult(ChunkStatus.Gap, 0, $"Segment {segment} of recording {recordingId} was never opened; open a segment first.");
        }
        var into = SegmentFolder(folder, segment);
        var tally = TallyOf(recordingId, folder);
        var next = tally.NextIn(segment, into);
        var actual = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        if (actual != sha256)
        {
            return new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} hashes to {actual}, not {sha256} as the Content-Digest says.");
        }
        if (index < next)
        {
            var stored = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(ChunkPath(into, index), cancellation)));
            return stored == sha256
                ? new ChunkResult(ChunkStatus.AlreadyHad, next, null)
                : new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} was already stored with another content.");
        }
        if (index > next)
        {
            return new ChunkResult(ChunkStatus.Gap, next, $"Chunk {index} arrived but chunk {next} is missing; send chunks in order.");
        }
        var held = tally.Held;
        if (held + content.Length > maxBytes)
        {
            return new ChunkResult(ChunkStatus.TooLarge, next, $"Recording {recordingId} holds {held:N0} bytes; chunk {index} ({content.Length:N0} bytes) would take it past the scenario's limit of {maxBytes:N0} bytes.");
        }
        var temporary = ChunkPath(into, index) + ".part";
        await PrivateFiles.WriteAsync(temporary, content, cancellation);
        File.Move(temporary, ChunkPath(into, index));
        tally.Accepted(segment, content.Length);
        return new ChunkResult(ChunkStatus.Accepted, next + 1, null);
    }, cancellation);

    /// <summary>
    /// What a recording's folder holds: counted from the disk once per process, then kept up to date under the recording's
    /// lock. Counting every file again for each chunk made a long session's uploads quadratic (an hour is 7,200 chunks).
    /// </summary>
    private sealed class Tally(long held)
    {
        private readonly Dictionary<int, int> _next = [];

        public long Held { get; private set; } = held;

        public int NextIn(int segment, string folder) => _next.TryGetValue(segment, out var next) ? next : _next[segment] = ChunkCount(folder);

        public void Accepted(int segment, long bytes)
        {
            _next[segment]++;
            Held += bytes;
        }
    }

    private readonly ConcurrentDictionary<Guid, Tally> _tallies = new();

    private Tally TallyOf(Guid recordingId, string folder) => _tallies.GetOrAdd(recordingId, _ =>
        new Tally(Enumerable.Range(0, SegmentCount(folder)).Sum(s => Chunks(SegmentFolder(folder, s)).Sum(c => new FileInfo(c).Length))));

    public Task<ChunkResult> EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var folder = Folder(recordingId);
        if (Refusal(recordingId, folder) is { } refused)
        {
            return refused;
        }
        if (segment < 0 || segment >= SegmentCount(folder) || chunks < 0)
        {
            return new ChunkResult(ChunkStatus.Gap, 0, $"Recording {recordingId} has no segment {segment} to end.");
        }
        var into = SegmentFolder(folder, segment);
        await PrivateFiles.WriteAsync(Path.Combine(into, EndFile), JsonSerializer.SerializeToUtf8Bytes(chunks), cancellation);
        return new ChunkResult(ChunkStatus.Accepted, ChunkCount(into), null);
    }, cancellation);

    public Task<DateTimeOffset?> LastOpenChunkAtAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, () =>
    {
        var folder = Folder(recordingId);
        var open = Enumerable.Range(0, Directory.Exists(folder) ? SegmentCount(folder) : 0).Select(s => SegmentFolder(folder, s))
            .Where(f => !File.Exists(Path.Combine(f, EndFile)) && ChunkCount(f) > 0)
            .Select(f => Arrived(Chunks(f)[^1])).ToList();
        return Task.FromResult(open.Count == 0 ? (DateTimeOffset?)null : open.Max());
    }, cancellation);

    private const string EndFile = "end.json";

    public Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation) => Locked(recordingId, async () =>
    {
        var folder = Folder(recordingId);
        var sealedPath = Path.Combine(folder, "sealed.json");
        if (File.Exists(sealedPath) && JsonSerializer.Deserialize<RecordingSeal>(await File.ReadAllTextAsync(sealedPath, cancellation)) is { Segments: not null } kept)
        {
            return kept;
        }
        PrivateFiles.Folder(folder);
        var metaPath = Path.Combine(folder, "meta.json");
        var mediaType = File.Exists(metaPath) ? JsonSerializer.Deserialize<Meta>(await File.ReadAllTextAsync(metaPath, cancellation))!.MediaType : "video/webm";
        var segments = new List<SegmentSeal>();
        for (var segment = 0; segment < SegmentCount(folder); segment++)
        {
            var chunks = Chunks(SegmentFolder(folder, segment));
            if (chunks.Count == 0)
            {
                continue; // opened, then left before any media arrived
            }
            await using var whole = new MemoryStream();
            foreach (var chunk in chunks)
            {
                await using var part = File.OpenRead(chunk);
                await part.CopyToAsync(whole, cancellation);
            }
            whole.Position = 0;
            var (sha, size) = await evidence.PutAsync(whole, cancellation);
            var end = Path.Combine(SegmentFolder(folder, segment), EndFile);
            segments.Add(new SegmentSeal(segment, sha, size, chunks.Count, Arrived(chunks[0]), Arrived(chunks[^1]))
            {
                DeclaredChunks = File.Exists(end) ? JsonSerializer.Deserialize<int>(await File.ReadAllTextAsync(end, cancellation)) : null,
            });
        }
        var seal = new RecordingSeal(recordingId, mediaType, segments);
        if (segments.Count > 0)
        {
            // An empty recording stays open: the step reports it, and media that still arrives can be sealed on a retry.
            await PrivateFiles.WriteAsync(sealedPath, JsonSerializer.SerializeToUtf8Bytes(seal), cancellation);
        }
        return seal;
    }, cancellation);

    public Stream? OpenSealed(string sha256) => evidence.Exists(sha256) ? evidence.Open(sha256) : null;

    private static ChunkResult? Refusal(Guid recordingId, string folder) =>
        !File.Exists(Path.Combine(folder, "meta.json")) ? new ChunkResult(ChunkStatus.UnknownRecording, 0, $"Recording {recordingId} has not been started.")
        : File.Exists(Path.Combine(folder, "sealed.json")) ? new ChunkResult(ChunkStatus.Sealed, 0, $"Recording {recordingId} is sealed; nothing more can be written to it.")
        : null;

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

    private string Folder(Guid recordingId) => Path.Combine(root, recordingId.ToString("N"));

    private static string SegmentFolder(string folder, int segment) => segment == 0 ? folder : Path.Combine(folder, $"segment-{segment:D3}");

    private static int SegmentCount(string folder)
    {
        var count = 1;
        while (Directory.Exists(SegmentFolder(folder, count)))
        {
            count++;
        }
        return count;
    }

    private static string ChunkPath(string folder, int index) => Path.Combine(folder, $"{index:D6}.chunk");

    private static int ChunkCount(string folder)
    {
        var count = 0;
        while (File.Exists(ChunkPath(folder, count)))
        {
            count++;
        }
        return count;
    }

    private static List<string> Chunks(string folder) => [.. Enumerable.Range(0, ChunkCount(folder)).Select(i => ChunkPath(folder, i))];

    private static DateTimeOffset Arrived(string chunk) => new(File.GetLastWriteTimeUtc(chunk), TimeSpan.Zero);

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
}
