using System.Security.Cryptography;
using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Evidence.Stores;

/// <summary>
/// What every evidence store must do, whichever kind a bank runs: files named by their SHA-256, written once, read back
/// whole or by range, checked for being missing or altered, and a malformed hash refused before anything is touched.
/// </summary>
public abstract class EvidenceStoreContract
{
    protected abstract IEvidenceStore Store { get; }

    /// <summary>How many files the store holds, counted outside its API.</summary>
    protected abstract Task<int> CountAsync();

    /// <summary>Changes a kept file's bytes behind the store's back, as an insider with access to the disk or the database would.</summary>
    protected abstract Task TamperAsync(string sha256);

    /// <summary>Removes a kept file behind the store's back.</summary>
    protected abstract Task RemoveAsync(string sha256);

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Bytes that are new to the store and long enough to span several chunks of the PostgreSQL store (1 MiB each).</summary>
    protected static byte[] Content(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> ReadAllAsync(string sha256)
    {
        await using var stream = (await Store.OpenAsync(sha256, Cancellation)).ShouldNotBeNull();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancellation);
        return copy.ToArray();
    }

    [Fact]
    public async Task content_put_is_named_by_its_hash_and_read_back_whole()
    {
        var bytes = Content((int)(2.5 * 1024 * 1024));

        var kept = await Store.PutAsync(new MemoryStream(bytes), Cancellation);

        kept.ShouldBe(new StoredContent(Sha(bytes), bytes.Length));
        (await Store.ExistsAsync(kept.Sha256, Cancellation)).ShouldBeTrue();
        (await ReadAllAsync(kept.Sha256)).ShouldBe(bytes);
        (await Store.CheckAsync(new EvidenceFile("recording", kept.Sha256, bytes.Length, "video/webm"), Cancellation)).ShouldBeNull();
    }

    [Fact]
    public async Task content_from_a_stream_that_cannot_seek_and_empty_content_are_kept_too()
    {
        var bytes = Content(1_500_000);
        var kept = await Store.PutAsync(new OneWayStream(bytes), Cancellation);
        kept.Sha256.ShouldBe(Sha(bytes));
        (await ReadAllAsync(kept.Sha256)).ShouldBe(bytes);

        var empty = await Store.PutAsync(new MemoryStream(), Cancellation);
        empty.ShouldBe(new StoredContent(Sha([]), 0));
        (await ReadAllAsync(empty.Sha256)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_range_is_read_after_a_seek_as_a_range_request_does()
    {
        var bytes = Content(3 * 1024 * 1024 + 17);
        var kept = await Store.PutAsync(new MemoryStream(bytes), Cancellation);
        await using var stream = (await Store.OpenAsync(kept.Sha256, Cancellation)).ShouldNotBeNull();
        (stream.CanSeek, stream.Length).ShouldBe((true, bytes.Length));

        var start = 1024 * 1024 - 100; // across the boundary of two PostgreSQL chunks
        stream.Seek(start, SeekOrigin.Begin);
        var range = new byte[300];
        await stream.ReadExactlyAsync(range, Cancellation);

        range.ShouldBe(bytes[start..(start + 300)]);
        stream.Seek(-5, SeekOrigin.End);
        (await stream.ReadAsync(new byte[10], Cancellation)).ShouldBe(5, "only what is left before the end");
    }

    [Fact]
    public async Task the_same_content_put_by_several_writers_at_once_is_kept_once()
    {
        var bytes = Content(1_200_000);
        var before = await CountAsync();

        var kept = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.PutAsync(new MemoryStream(bytes), Cancellation))));

        kept.Distinct().ShouldHaveSingleItem().Sha256.ShouldBe(Sha(bytes));
        (await CountAsync()).ShouldBe(before + 1);
        (await ReadAllAsync(Sha(bytes))).ShouldBe(bytes);
    }

    [Fact]
    public async Task check_reports_a_missing_file_and_an_altered_one()
    {
        var missing = Sha(Content(10));
        (await Store.ExistsAsync(missing, Cancellation)).ShouldBeFalse();
        (await Store.OpenAsync(missing, Cancellation)).ShouldBeNull();
        (await Store.CheckAsync(new EvidenceFile("document", missing, 10, null), Cancellation)).ShouldBe($"file missing: the document {missing} is not in the evidence store");

        var altered = await Store.PutAsync(new MemoryStream(Content(2000)), Cancellation);
        await TamperAsync(altered.Sha256);
        (await Store.CheckAsync(new EvidenceFile("id-card", altered.Sha256, 2000, null), Cancellation))
            .ShouldStartWith($"file altered: the id-card {altered.Sha256} now hashes to ");

        var removed = await Store.PutAsync(new MemoryStream(Content(2000)), Cancellation);
        await RemoveAsync(removed.Sha256);
        (await Store.CheckAsync(new EvidenceFile("contract", removed.Sha256, 2000, null), Cancellation)).ShouldStartWith("file missing: the contract");
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("../../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public async Task a_hash_that_is_not_sixty_four_lowercase_hex_digits_is_refused_and_nothing_changes(string wrong)
    {
        var kept = await Store.PutAsync(new MemoryStream(Content(100)), Cancellation);
        var before = await CountAsync();

        foreach (var call in new Func<Task>[] { () => Store.ExistsAsync(wrong, Cancellation), () => Store.OpenAsync(wrong, Cancellation), () => Store.DiscardAsync(wrong, Cancellation) })
        {
            (await Should.ThrowAsync<ArgumentException>(call)).Message.ShouldStartWith($"'{wrong}' is not a SHA-256 hash");
        }
        (await Store.CheckAsync(new EvidenceFile("document", wrong, 1, null), Cancellation)).ShouldBe($"file named wrongly: the document '{wrong}' is not a SHA-256 hash");
        (await CountAsync()).ShouldBe(before);
        (await Store.CheckAsync(new EvidenceFile("document", kept.Sha256, 100, null), Cancellation)).ShouldBeNull();
    }

    [Fact]
    public async Task a_discarded_upload_is_gone_and_the_other_files_stay()
    {
        var stays = await Store.PutAsync(new MemoryStream(Content(300)), Cancellation);
        var refused = await Store.PutAsync(new MemoryStream(Content(300)), Cancellation);

        await Store.DiscardAsync(refused.Sha256, Cancellation);

        (await Store.ExistsAsync(refused.Sha256, Cancellation)).ShouldBeFalse();
        (await Store.CheckAsync(new EvidenceFile("document", stays.Sha256, 300, null), Cancellation)).ShouldBeNull();
    }

    /// <summary>A stream read once from start to end, as a request body is.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
