using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// Recordings waiting under <c>{root}/{recordingId}/</c>: <c>meta.json</c>, segment 0's chunks at the top and segment N's
/// in <c>segment-NNN/</c>, each segment's <c>end.json</c>, and <c>sealed.json</c>. Folders 0700 and files 0600, like the
/// evidence; a chunk is written to a <c>.part</c> file and moved into place, so it is there whole or not at all. A
/// chunk's arrival time is its file's write time. Shared by every Host when the folder is (NFS).
/// </summary>
public sealed class DirectoryRecordingStaging(string root) : IRecordingStaging
{
    private sealed record Meta(Guid CaseId, string MediaType);

    private const string EndFile = "end.json";

    public async Task<StagedRecording?> FindAsync(Guid recordingId, CancellationToken cancellation)
    {
        var folder = Folder(recordingId);
        var metaPath = Path.Combine(folder, "meta.json");
        if (!File.Exists(metaPath))
        {
            return null;
        }
        var meta = JsonSerializer.Deserialize<Meta>(await File.ReadAllBytesAsync(metaPath, cancellation))!;
        var sealedPath = Path.Combine(folder, "sealed.json");
        var seal = File.Exists(sealedPath) ? JsonSerializer.Deserialize<RecordingSeal>(await File.ReadAllBytesAsync(sealedPath, cancellation)) : null;
        return new StagedRecording(meta.CaseId, meta.MediaType, SegmentCount(folder), seal is { Segments: not null } ? seal : null);
    }

    public async Task StartAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation)
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

    public Task AddSegmentAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        PrivateFiles.Folder(SegmentFolder(Folder(recordingId), segment));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StagedChunk>> ChunksAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        var into = SegmentFolder(Folder(recordingId), segment);
        var chunks = new List<StagedChunk>();
        for (var index = 0; new FileInfo(ChunkPath(into, index)) is { Exists: true } file; index++)
        {
            chunks.Add(new StagedChunk(index, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
        }
        return Task.FromResult<IReadOnlyList<StagedChunk>>(chunks);
    }

    public async Task<byte[]?> ReadChunkAsync(Guid recordingId, int segment, int index, CancellationToken cancellation)
    {
        var path = ChunkPath(SegmentFolder(Folder(recordingId), segment), index);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellation) : null;
    }

    public async Task<bool> AddChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, CancellationToken cancellation)
    {
        var target = ChunkPath(SegmentFolder(Folder(recordingId), segment), index);
        var temporary = $"{target}.{Guid.NewGuid():N}.part"; // one per writer: two Hosts writing the same index never share it
        await PrivateFiles.WriteAsync(temporary, content, cancellation);
        try
        {
            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
            return false;
        }
    }

    public async Task CopySegmentAsync(Guid recordingId, int segment, int chunks, Stream target, CancellationToken cancellation)
    {
        var into = SegmentFolder(Folder(recordingId), segment);
        for (var index = 0; index < chunks; index++)
        {
            await using var part = File.OpenRead(ChunkPath(into, index));
            await part.CopyToAsync(target, cancellation);
        }
    }

    public Task EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation) =>
        PrivateFiles.WriteAsync(Path.Combine(SegmentFolder(Folder(recordingId), segment), EndFile), JsonSerializer.SerializeToUtf8Bytes(chunks), cancellation);

    public async Task<int?> DeclaredChunksAsync(Guid recordingId, int segment, CancellationToken cancellation)
    {
        var end = Path.Combine(SegmentFolder(Folder(recordingId), segment), EndFile);
        return File.Exists(end) ? JsonSerializer.Deserialize<int>(await File.ReadAllBytesAsync(end, cancellation)) : null;
    }

    public async Task MarkSealedAsync(Guid recordingId, RecordingSeal seal, CancellationToken cancellation)
    {
        var path = Path.Combine(Folder(recordingId), "sealed.json");
        if (!File.Exists(path))
        {
            await PrivateFiles.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(seal), cancellation);
        }
    }

    public Task DiscardChunksAsync(Guid recordingId, CancellationToken cancellation)
    {
        var folder = Folder(recordingId);
        for (var segment = 0; Directory.Exists(SegmentFolder(folder, segment)); segment++)
        {
            foreach (var chunk in Directory.EnumerateFiles(SegmentFolder(folder, segment), "*.chunk*"))
            {
                File.Delete(chunk); // also a .part a writer left behind
            }
        }
        return Task.CompletedTask;
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
}
