using System.Security.Cryptography;
using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Engine;

/// <summary>
/// An evidence file sealed under its case's key: it opens to the same bytes with the same hash, any range reads without
/// the rest, and a changed, moved, dropped or cut-off segment, another case's id or another key never open.
/// </summary>
public sealed class EvidenceCipherTests
{
    private static readonly Guid Case = Guid.Parse("0195f3a0-0000-7000-8000-0000000000cc");
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private const int S = EvidenceCipher.SegmentSize;
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static byte[] Content(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }

    private static async Task<(byte[] Sealed, StoredContent Plain)> Seal(byte[] content, Guid? caseId = null, byte[]? key = null)
    {
        using var target = new MemoryStream();
        var plain = await EvidenceCipher.SealAsync(new MemoryStream(content), target, caseId ?? Case, key ?? Key, Cancellation);
        return (target.ToArray(), plain);
    }

    private static async Task<byte[]> Open(byte[] sealedBytes, Guid? caseId = null, byte[]? key = null)
    {
        await using var plain = await EvidenceCipher.OpenAsync(new MemoryStream(sealedBytes), caseId ?? Case, key ?? Key, Cancellation);
        using var copy = new MemoryStream();
        await plain.CopyToAsync(copy, Cancellation);
        copy.Length.ShouldBe(plain.Length);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(S - 1)]
    [InlineData(S)]
    [InlineData(S + 1)]
    [InlineData(3 * S + 5)]
    public async Task a_sealed_file_opens_to_the_same_bytes_and_its_hash_is_the_plain_contents(int size)
    {
        var content = Content(size);
        var (sealedBytes, plain) = await Seal(content);
        plain.ShouldBe(new StoredContent(Convert.ToHexStringLower(SHA256.HashData(content)), size));
        (await Open(sealedBytes)).ShouldBe(content);
        if (size >= 16)
        {
            sealedBytes.AsSpan().IndexOf(content.AsSpan(0, 16)).ShouldBe(-1, "nothing of the content is in the sealed file");
        }
    }

    [Fact]
    public async Task the_same_content_sealed_twice_gives_two_different_files()
    {
        var content = Content(1000);
        (await Seal(content)).Sealed.ShouldNotBe((await Seal(content)).Sealed, "a fresh salt each time: two copies cannot be matched");
    }

    [Fact]
    public async Task a_range_reads_only_the_segments_it_touches_and_gives_the_same_bytes()
    {
        var content = Content(3 * S + 100);
        var (sealedBytes, _) = await Seal(content);
        // The first segment is damaged: a range in the third still reads, as a player seeking into a recording does.
        sealedBytes[EvidenceCipher.HeaderSize + 10] ^= 1;
        await using var plain = await EvidenceCipher.OpenAsync(new MemoryStream(sealedBytes), Case, Key, Cancellation);
        plain.Seek(2 * S + 7, SeekOrigin.Begin);
        var range = new byte[S]; // across the third and fourth segments
        var read = 0;
        while (read < range.Length && await plain.ReadAsync(range.AsMemory(read), Cancellation) is var n and > 0)
        {
            read += n;
        }
        read.ShouldBe(S);
        range.ShouldBe(content.AsSpan(2 * S + 7, S).ToArray());
        plain.Position = 0;
        Should.Throw<AuthenticationTagMismatchException>(() => plain.ReadByte());
    }

    [Fact]
    public async Task a_changed_moved_dropped_or_cut_off_segment_does_not_open()
    {
        var content = Content(2 * S + 10);
        var (sealedBytes, _) = await Seal(content);
        var segment = S + EvidenceCipher.TagSize;

        var changed = sealedBytes.ToArray();
        changed[^1] ^= 1;
        await Should.ThrowAsync<CryptographicException>(() => Open(changed));

        var swapped = sealedBytes.ToArray();
        sealedBytes.AsSpan(EvidenceCipher.HeaderSize + segment, segment).CopyTo(swapped.AsSpan(EvidenceCipher.HeaderSize));
        sealedBytes.AsSpan(EvidenceCipher.HeaderSize, segment).CopyTo(swapped.AsSpan(EvidenceCipher.HeaderSize + segment));
        await Should.ThrowAsync<CryptographicException>(() => Open(swapped));

        // Only whole segments: the last one dropped, so the one before would be taken for the last.
        await Should.ThrowAsync<CryptographicException>(() => Open(sealedBytes[..(EvidenceCipher.HeaderSize + 2 * segment)]));
        await Should.ThrowAsync<CryptographicException>(() => Open(sealedBytes[..(EvidenceCipher.HeaderSize + 5)]));
    }

    [Fact]
    public async Task another_cases_id_or_another_key_does_not_open_it()
    {
        var (sealedBytes, _) = await Seal(Content(500));
        (await Should.ThrowAsync<CryptographicException>(() => Open(sealedBytes, caseId: Guid.NewGuid()))).Message.ShouldContain("not sealed for case");
        await Should.ThrowAsync<CryptographicException>(() => Open(sealedBytes, key: RandomNumberGenerator.GetBytes(32)));
        // The header names the case: rewriting it to another case breaks every segment's tag.
        var moved = sealedBytes.ToArray();
        var other = Guid.NewGuid();
        other.TryWriteBytes(moved.AsSpan(6, 16)).ShouldBeTrue();
        await Should.ThrowAsync<CryptographicException>(() => Open(moved, caseId: other));
    }
}
