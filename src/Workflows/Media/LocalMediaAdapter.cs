using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// The default adapter: sessions live in the Host, chunks are kept under <c>{root}/{recordingId}/</c> as they arrive
/// (each acknowledged only once written), and sealing writes the whole recording once into the content-addressed
/// evidence store. Everything it knows is on disk, so a restart loses nothing; folders 0700 and files 0600, like the evidence.
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

    public async Task<ChunkResult> AppendChunkAsync(Guid recordingId, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes, CancellationToken cancellation)
    {
        var gate = _locks.GetOrAdd(recordingId, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(cancellation);
        try
        {
            var folder = Folder(recordingId);
            if (!File.Exists(Path.Combine(folder, "meta.json")))
            {
                return new ChunkResult(ChunkStatus.UnknownRecording, 0, $"Recording {recordingId} has not been started.");
            }
            var next = ChunkCount(folder);
            if (File.Exists(Path.Combine(folder, "sealed.json")))
            {
                return new ChunkResult(ChunkStatus.Sealed, next, $"Recording {recordingId} is sealed; nothing more can be written to it.");
            }
            var actual = Convert.ToHexStringLower(SHA256.HashData(content.Span));
            if (actual != sha256)
            {
                return new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} hashes to {actual}, not {sha256} as the Content-Digest says.");
            }
            if (index < next)
            {
                var stored = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(ChunkPath(folder, index), cancellation)));
                return stored == sha256
                    ? new ChunkResult(ChunkStatus.AlreadyHad, next, null)
                    : new ChunkResult(ChunkStatus.HashMismatch, next, $"Chunk {index} was already stored with another content.");
            }
            if (index > next)
            {
                return new ChunkResult(ChunkStatus.Gap, next, $"Chunk {index} arrived but chunk {next} is missing; send chunks in order.");
            }
            var held = Enumerable.Range(0, next).Sum(i => new FileInfo(ChunkPath(folder, i)).Length);
            if (held + content.Length > maxBytes)
            {
                return new ChunkResult(ChunkStatus.TooLarge, next, $"Recording {recordingId} holds {held:N0} bytes; chunk {index} ({content.Length:N0} bytes) would take it past the scenario's limit of {maxBytes:N0} bytes.");
            }
            var temporary = ChunkPath(folder, index) + ".part";
            await PrivateFiles.WriteAsync(temporary, content, cancellation);
            File.Move(temporary, ChunkPath(folder, index));
            return new ChunkResult(ChunkStatus.Accepted, next + 1, null);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation)
    {
        var gate = _locks.GetOrAdd(recordingId, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(cancellation);
        try
        {
            var folder = Folder(recordingId);
            var sealedPath = Path.Combine(folder, "sealed.json");
            if (File.Exists(sealedPath))
            {
                return JsonSerializer.Deserialize<RecordingSeal>(await File.ReadAllTextAsync(sealedPath, cancellation))!;
            }
            PrivateFiles.Folder(folder);
            var metaPath = Path.Combine(folder, "meta.json");
            var mediaType = File.Exists(metaPath) ? JsonSerializer.Deserialize<Meta>(await File.ReadAllTextAsync(metaPath, cancellation))!.MediaType : "video/webm";
            var chunks = ChunkCount(folder);
            await using var whole = new MemoryStream();
            for (var i = 0; i < chunks; i++)
            {
                await using var chunk = File.OpenRead(ChunkPath(folder, i));
                await chunk.CopyToAsync(whole, cancellation);
            }
            whole.Position = 0;
            var (sha, size) = await evidence.PutAsync(whole, cancellation);
            var seal = new RecordingSeal(recordingId, sha, size, mediaType, chunks, []);
            await PrivateFiles.WriteAsync(sealedPath, JsonSerializer.SerializeToUtf8Bytes(seal), cancellation);
            return seal;
        }
        finally
        {
            gate.Release();
        }
    }

    public Stream? OpenSealed(string sha256) => evidence.Exists(sha256) ? evidence.Open(sha256) : null;

    private string Folder(Guid recordingId) => Path.Combine(root, recordingId.ToString("N"));

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

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
}
