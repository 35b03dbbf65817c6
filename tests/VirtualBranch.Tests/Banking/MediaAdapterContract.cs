using System.Runtime.Versioning;
using System.Security.Cryptography;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Tests.Banking;

/// <summary>What every media adapter must do; an adapter for a cloud video service derives from this and passes it too.</summary>
public abstract class MediaAdapterContract
{
    protected abstract IMediaAdapter CreateAdapter();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static readonly Guid CaseId = Guid.NewGuid();

    private async Task<(IMediaAdapter Adapter, Guid Recording)> Started()
    {
        var adapter = CreateAdapter();
        var recording = Guid.NewGuid();
        await adapter.StartRecordingAsync(recording, CaseId, "video/webm", CancellationToken.None);
        return (adapter, recording);
    }

    [Fact]
    public async Task a_session_has_distinct_join_tokens_and_an_expiry()
    {
        var session = await CreateAdapter().CreateSessionAsync(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        session.TellerJoinToken.ShouldNotBe(session.CustomerJoinToken);
        session.TellerJoinToken.Length.ShouldBeGreaterThanOrEqualTo(24);
    }

    [Fact]
    public async Task chunks_in_order_seal_into_the_concatenation_and_play_back_identically()
    {
        var (adapter, recording) = await Started();
        byte[][] chunks = [[1, 2, 3], [4, 5], [6]];
        for (var i = 0; i < chunks.Length; i++)
        {
            (await adapter.AppendChunkAsync(recording, 0, i, chunks[i], Sha(chunks[i]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        }
        var seal = await adapter.SealAsync(recording, CancellationToken.None);
        byte[] whole = [1, 2, 3, 4, 5, 6];
        var only = seal.Segments.ShouldHaveSingleItem();
        only.Sha256.ShouldBe(Sha(whole));
        (seal.Size, seal.Chunks).ShouldBe((6, 3));
        (only.FirstChunkAt <= only.LastChunkAt).ShouldBeTrue();
        var again = await adapter.SealAsync(recording, CancellationToken.None);
        again.Segments.ShouldBe(seal.Segments, "sealing twice gives the same seal");
        await using var played = (await adapter.OpenSealedAsync(CaseId, only.Sha256, CancellationToken.None)).ShouldNotBeNull();
        using var copy = new MemoryStream();
        await played.CopyToAsync(copy);
        copy.ToArray().ShouldBe(whole);
    }

    [Fact]
    public async Task a_chunk_that_would_pass_the_size_limit_is_refused_and_nothing_of_it_is_kept()
    {
        var (adapter, recording) = await Started();
        byte[] chunk = [1, 2, 3];
        (await adapter.AppendChunkAsync(recording, 0, 0, chunk, Sha(chunk), 5, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);

        var refused = await adapter.AppendChunkAsync(recording, 0, 1, chunk, Sha(chunk), 5, CancellationToken.None);

        refused.Status.ShouldBe(ChunkStatus.TooLarge);
        refused.Reason!.ShouldContain("5 bytes");
        (await adapter.AppendChunkAsync(recording, 0, 0, chunk, Sha(chunk), 5, CancellationToken.None)).Status.ShouldBe(ChunkStatus.AlreadyHad);
        (await adapter.SealAsync(recording, CancellationToken.None)).Size.ShouldBe(3);
    }

    [Fact]
    public async Task a_new_recorder_writes_the_next_segment_and_each_segment_seals_into_its_own_file()
    {
        var (adapter, recording) = await Started();
        (await adapter.OpenSegmentAsync(recording, CancellationToken.None)).Segment.ShouldBe(0, "nothing reached segment 0 yet: the first recorder takes it");
        byte[] first = [1, 2], second = [3, 4, 5];
        (await adapter.AppendChunkAsync(recording, 0, 0, first, Sha(first), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        (await adapter.AppendChunkAsync(recording, 1, 0, second, Sha(second), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Gap, "segment 1 was never opened");
        (await adapter.OpenSegmentAsync(recording, CancellationToken.None)).Segment.ShouldBe(1);
        (await adapter.OpenSegmentAsync(recording, CancellationToken.None)).Segment.ShouldBe(1, "a recorder that sent nothing leaves its segment to the next");
        (await adapter.AppendChunkAsync(recording, 1, 0, second, Sha(second), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        (await adapter.AppendChunkAsync(recording, 0, 1, first, Sha(first), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted, "a late chunk of the earlier segment still lands");
        (await adapter.AppendChunkAsync(recording, 1, 1, first, Sha(first), 6, CancellationToken.None)).Status.ShouldBe(ChunkStatus.TooLarge, "the limit counts every segment");

        var seal = await adapter.SealAsync(recording, CancellationToken.None);
        seal.Segments.Select(s => (s.Segment, s.Sha256, s.Chunks)).ShouldBe([(0, Sha([1, 2, 1, 2]), 2), (1, Sha(second), 1)]);
        (await adapter.OpenSegmentAsync(recording, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Sealed);
    }

    [Fact]
    public async Task a_recording_without_media_seals_to_no_segment_and_stays_open_for_media_still_arriving()
    {
        var (adapter, recording) = await Started();
        (await adapter.SealAsync(recording, CancellationToken.None)).Segments.ShouldBeEmpty();
        byte[] late = [9];
        (await adapter.AppendChunkAsync(recording, 0, 0, late, Sha(late), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        (await adapter.SealAsync(recording, CancellationToken.None)).Segments.ShouldHaveSingleItem().Sha256.ShouldBe(Sha(late));
    }

    [Fact]
    public async Task a_retried_chunk_is_a_no_op_and_a_gap_or_a_wrong_hash_is_refused()
    {
        var (adapter, recording) = await Started();
        byte[] chunk = [7, 7, 7];
        (await adapter.AppendChunkAsync(recording, 0, 0, chunk, Sha(chunk), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        (await adapter.AppendChunkAsync(recording, 0, 0, chunk, Sha(chunk), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.AlreadyHad);
        (await adapter.AppendChunkAsync(recording, 0, 2, chunk, Sha(chunk), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Gap);
        var wrong = await adapter.AppendChunkAsync(recording, 0, 1, chunk, Sha([1]), long.MaxValue, CancellationToken.None);
        wrong.Status.ShouldBe(ChunkStatus.HashMismatch);
        wrong.Reason.ShouldNotBeNullOrWhiteSpace();
        (await adapter.AppendChunkAsync(recording, 0, 0, new byte[] { 8 }, Sha([8]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.HashMismatch);
    }

    [Fact]
    public async Task nothing_is_written_after_sealing_and_unknown_recordings_are_refused()
    {
        var (adapter, recording) = await Started();
        (await adapter.AppendChunkAsync(recording, 0, 0, new byte[] { 2 }, Sha([2]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted);
        await adapter.SealAsync(recording, CancellationToken.None);
        (await adapter.AppendChunkAsync(recording, 0, 1, new byte[] { 1 }, Sha([1]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Sealed);
        (await adapter.AppendChunkAsync(Guid.NewGuid(), 0, 0, new byte[] { 1 }, Sha([1]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.UnknownRecording);
    }

    /// <summary>
    /// For an adapter that stages chunks: once sealed, the media lives only in the evidence store (so erasing a case's
    /// files erases its video); the staging keeps what was started and sealed, and a late chunk is still refused.
    /// </summary>
    protected static async Task Sealing_leaves_no_chunk_waiting(IRecordingStaging staging, IEvidenceStore evidence)
    {
        var adapter = new LocalMediaAdapter(staging, new PlainCaseEvidence(evidence));
        var recording = Guid.NewGuid();
        await adapter.StartRecordingAsync(recording, CaseId, "video/webm", CancellationToken.None);
        byte[][] chunks = [[1, 2], [3]];
        for (var i = 0; i < chunks.Length; i++)
        {
            await adapter.AppendChunkAsync(recording, 0, i, chunks[i], Sha(chunks[i]), long.MaxValue, CancellationToken.None);
        }
        (await staging.ChunksAsync(recording, 0, CancellationToken.None)).Count.ShouldBe(2, "chunks wait until the seal");

        var seal = await adapter.SealAsync(recording, CancellationToken.None);
        (await staging.ChunksAsync(recording, 0, CancellationToken.None)).ShouldBeEmpty();
        (await staging.ReadChunkAsync(recording, 0, 0, CancellationToken.None)).ShouldBeNull();
        (await staging.FindAsync(recording, CancellationToken.None)).ShouldNotBeNull().Sealed.ShouldNotBeNull().Segments.ShouldBe(seal.Segments);
        (await adapter.SealAsync(recording, CancellationToken.None)).Segments.ShouldBe(seal.Segments, "sealing again gives the first seal");
        (await adapter.AppendChunkAsync(recording, 0, 2, new byte[] { 4 }, Sha([4]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Sealed);
        await using var played = (await adapter.OpenSealedAsync(CaseId, seal.Segments[0].Sha256, CancellationToken.None)).ShouldNotBeNull();
        using var copy = new MemoryStream();
        await played.CopyToAsync(copy);
        copy.ToArray().ShouldBe([1, 2, 3]);
    }
}

/// <summary>The local adapter passes the contract.</summary>
public sealed class LocalMediaAdapterContractTests : MediaAdapterContract
{
    private readonly string _root = Directory.CreateTempSubdirectory("vb-media-").FullName;

    protected override IMediaAdapter CreateAdapter() =>
        new LocalMediaAdapter(new DirectoryRecordingStaging(Path.Combine(_root, "recordings")), new PlainCaseEvidence(new DirectoryEvidenceStore(Path.Combine(_root, "evidence"))));

    [Fact]
    public Task sealing_leaves_no_chunk_waiting_in_the_folder() =>
        Sealing_leaves_no_chunk_waiting(new DirectoryRecordingStaging(Path.Combine(_root, "recordings")), new DirectoryEvidenceStore(Path.Combine(_root, "evidence")));

    [Fact]
    [UnsupportedOSPlatform("windows")] // on-disk Unix modes
    public async Task chunks_and_the_sealed_recording_are_readable_by_the_service_account_only()
    {
        var adapter = CreateAdapter();
        var recording = Guid.NewGuid();
        byte[] chunk = [0x1A, 0x45, 0xDF, 0xA3, 1];
        await adapter.StartRecordingAsync(recording, Guid.NewGuid(), "video/webm", CancellationToken.None);
        await adapter.AppendChunkAsync(recording, 0, 0, chunk, Convert.ToHexStringLower(SHA256.HashData(chunk)), long.MaxValue, CancellationToken.None);
        var seal = (await adapter.SealAsync(recording, CancellationToken.None)).Segments[0];

        var folder = Path.Combine(_root, "recordings", recording.ToString("N"));
        foreach (var path in new[] { Path.Combine(_root, "recordings"), folder, Path.Combine(_root, "evidence"), Path.Combine(_root, "evidence", seal.Sha256[..2]) })
        {
            File.GetUnixFileMode(path).ShouldBe(PrivateFiles.OwnerOnlyFolder, path);
        }
        Directory.GetFiles(folder).ShouldNotBeEmpty("what was started and sealed stays");
        foreach (var path in Directory.GetFiles(folder))
        {
            File.GetUnixFileMode(path).ShouldBe(PrivateFiles.OwnerOnlyFile, path);
        }
        File.GetUnixFileMode(new DirectoryEvidenceStore(Path.Combine(_root, "evidence")).PathOf(seal.Sha256)).ShouldBe(UnixFileMode.UserRead, "sealed evidence is 0400: owner-only and read-only");
    }
}
