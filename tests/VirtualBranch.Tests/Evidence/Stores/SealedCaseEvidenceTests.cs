using System.Security.Cryptography;
using Npgsql;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Privacy;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence.Stores;

/// <summary>
/// A case's files sealed under its key over a real store and database: the store holds ciphertext only, the file reads
/// back as given, a lost copy is mended by the same content, an altered or missing copy is named, a file kept plain
/// before sealing still reads, and once the case's key is destroyed nothing of its files opens.
/// </summary>
public sealed class SealedCaseEvidenceTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _source = null!;
    private PersonalDataKeys _keys = null!;
    private DirectoryEvidenceStore _store = null!;
    private SealedCaseEvidence _files = null!;
    private readonly Guid _case = Guid.CreateVersion7();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
        var folder = Directory.CreateTempSubdirectory("vb-sealed-").FullName;
        _keys = new PersonalDataKeys(_database.ConnectionString, new FileKeyEncryptionKey(folder));
        _store = new DirectoryEvidenceStore(Path.Combine(folder, "evidence"));
        _files = new SealedCaseEvidence(_store, _keys, _source);
    }

    public async ValueTask DisposeAsync()
    {
        _keys.Dispose();
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static byte[] Content(int size) => RandomNumberGenerator.GetBytes(size);

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<byte[]> Read(Guid caseId, string sha)
    {
        await using var stream = (await _files.OpenAsync(caseId, sha, Cancellation)).ShouldNotBeNull();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancellation);
        return copy.ToArray();
    }

    private async Task<string> SealedPath(Guid caseId, string sha) => _store.PathOf(await SealedCopies.NameAsync(_database, caseId, sha));

    private static EvidenceFile File(string sha) => new("document", sha, 0, null);

    [Fact]
    public async Task a_file_is_kept_as_ciphertext_and_reads_back_as_given()
    {
        var content = Content(100_000);
        (await _files.PutAsync(_case, new MemoryStream(content), Cancellation)).ShouldBe(new StoredContent(Sha(content), content.Length));
        (await _store.ExistsAsync(Sha(content), Cancellation)).ShouldBeFalse("nothing is kept under the plain content's hash");
        var stored = await System.IO.File.ReadAllBytesAsync(await SealedPath(_case, Sha(content)), Cancellation);
        stored.AsSpan().IndexOf(content.AsSpan(0, 32)).ShouldBe(-1);
        (await Read(_case, Sha(content))).ShouldBe(content);
        (await _files.ExistsAsync(_case, Sha(content), Cancellation)).ShouldBeTrue();
        (await _files.CheckAsync(_case, File(Sha(content)), Cancellation)).ShouldBeNull();
        (await _files.ExistsAsync(Guid.CreateVersion7(), Sha(content), Cancellation)).ShouldBeFalse("another case does not have it");
    }

    [Fact]
    public async Task a_lost_copy_is_named_and_mended_by_the_same_content_and_an_altered_one_is_named()
    {
        var content = Content(70_000);
        var sha = Sha(content);
        await _files.PutAsync(_case, new MemoryStream(content), Cancellation);
        System.IO.File.Delete(await SealedPath(_case, sha));
        (await _files.CheckAsync(_case, File(sha), Cancellation)).ShouldNotBeNull().ShouldStartWith($"file missing: the document {sha} (sealed as ");
        (await _files.ExistsAsync(_case, sha, Cancellation)).ShouldBeFalse();

        await _files.PutAsync(_case, new MemoryStream(content), Cancellation);
        (await _files.CheckAsync(_case, File(sha), Cancellation)).ShouldBeNull("the same content kept again mends the lost copy");
        (await Read(_case, sha)).ShouldBe(content);

        var path = await SealedPath(_case, sha);
        System.IO.File.SetAttributes(path, FileAttributes.Normal);
        var bytes = await System.IO.File.ReadAllBytesAsync(path, Cancellation);
        bytes[^5] ^= 1;
        await System.IO.File.WriteAllBytesAsync(path, bytes, Cancellation);
        (await _files.CheckAsync(_case, File(sha), Cancellation)).ShouldNotBeNull().ShouldStartWith($"file altered: the document {sha} (sealed as ");
    }

    [Fact]
    public async Task a_file_kept_plain_before_sealing_still_reads_and_checks()
    {
        var content = Content(5_000);
        await _store.PutAsync(new MemoryStream(content), Cancellation);
        (await Read(_case, Sha(content))).ShouldBe(content);
        (await _files.ExistsAsync(_case, Sha(content), Cancellation)).ShouldBeTrue();
        (await _files.CheckAsync(_case, File(Sha(content)), Cancellation)).ShouldBeNull();
    }

    [Fact]
    public async Task once_the_cases_key_is_destroyed_nothing_of_its_files_opens_and_discarding_removes_the_copy()
    {
        var content = Content(2_000);
        var sha = Sha(content);
        await _files.PutAsync(_case, new MemoryStream(content), Cancellation);
        var path = await SealedPath(_case, sha);
        await _keys.DestroyAsync(_case, Cancellation);
        (await _files.ExistsAsync(_case, sha, Cancellation)).ShouldBeFalse();
        (await _files.OpenAsync(_case, sha, Cancellation)).ShouldBeNull();
        (await _files.CheckAsync(_case, File(sha), Cancellation)).ShouldNotBeNull().ShouldContain("which is destroyed");
        await Should.ThrowAsync<InvalidOperationException>(() => _files.PutAsync(_case, new MemoryStream(content), Cancellation));

        await _files.DiscardAsync(_case, sha, Cancellation);
        System.IO.File.Exists(path).ShouldBeFalse();
        (await _database.ScalarAsync<long>($"select count(*) from vb.vb_evidence_copies where case_id = '{_case}'")).ShouldBe(0);
    }
}
