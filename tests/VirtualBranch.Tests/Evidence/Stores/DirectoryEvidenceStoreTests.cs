using System.Runtime.Versioning;
using System.Security.Cryptography;
using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Evidence.Stores;

/// <summary>The shared-directory store (the default; NFS in production) passes the contract and keeps its files private and read-only.</summary>
public sealed class DirectoryEvidenceStoreTests : EvidenceStoreContract
{
    private readonly DirectoryEvidenceStore _store = new(Path.Combine(Directory.CreateTempSubdirectory("vb-evidence-").FullName, "evidence"));

    protected override IEvidenceStore Store => _store;

    protected override Task<int> CountAsync() => Task.FromResult(
        Directory.Exists(_store.Root) ? Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories).Length : 0);

    protected override async Task TamperAsync(string sha256)
    {
        var path = _store.PathOf(sha256);
        File.SetAttributes(path, FileAttributes.Normal);
        var bytes = await File.ReadAllBytesAsync(path, Cancellation);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes, Cancellation);
    }

    protected override Task RemoveAsync(string sha256)
    {
        File.Delete(_store.PathOf(sha256));
        return Task.CompletedTask;
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // on-disk Unix modes
    public async Task files_are_read_only_for_the_service_account_and_no_temporary_file_is_left()
    {
        var kept = await _store.PutAsync(new MemoryStream(Content(5000)), Cancellation);

        File.GetUnixFileMode(_store.PathOf(kept.Sha256)).ShouldBe(UnixFileMode.UserRead);
        File.GetUnixFileMode(Path.GetDirectoryName(_store.PathOf(kept.Sha256))!).ShouldBe(PrivateFiles.OwnerOnlyFolder);
        File.GetUnixFileMode(_store.Root).ShouldBe(PrivateFiles.OwnerOnlyFolder);
        Directory.GetFiles(_store.Root, ".incoming-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task a_kept_file_is_never_overwritten_even_by_its_own_content()
    {
        var bytes = Content(4000);
        var kept = await _store.PutAsync(new MemoryStream(bytes), Cancellation);
        await TamperAsync(kept.Sha256);
        var altered = await File.ReadAllBytesAsync(_store.PathOf(kept.Sha256), Cancellation);

        (await _store.PutAsync(new MemoryStream(bytes), Cancellation)).ShouldBe(kept);

        (await File.ReadAllBytesAsync(_store.PathOf(kept.Sha256), Cancellation)).ShouldBe(altered, "the store writes a name once; verify, not a second upload, is what reports the damage");
        Convert.ToHexStringLower(SHA256.HashData(altered)).ShouldNotBe(kept.Sha256);
    }
}
