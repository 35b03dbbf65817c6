using System.Security.Cryptography;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// Files kept by their SHA-256 under one folder (<c>ab/abcdef…</c>): the default store and, on an NFS mount, the one every
/// Host shares. Written once: content goes to a private temporary file, then is moved into place, never over a file
/// already there, so a file's name is its proof. Folders are 0700 and files 0400 (0600 while written) on Unix: only the
/// service's account reads them (<see cref="PrivateFiles"/>).
/// </summary>
public sealed class DirectoryEvidenceStore(string root) : IEvidenceStore
{
    public string Root { get; } = root;

    public string Location => Root;

    public string PathOf(string sha256) => Path.Combine(Root, EvidenceHash.Require(sha256)[..2], sha256);

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellation) => Task.FromResult(File.Exists(PathOf(sha256)));

    public Task<Stream?> OpenAsync(string sha256, CancellationToken cancellation)
    {
        var path = PathOf(sha256);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    public async Task<StoredContent> PutAsync(Stream content, CancellationToken cancellation)
    {
        PrivateFiles.Folder(Root);
        var temporary = Path.Combine(Root, $".incoming-{Guid.NewGuid():N}");
        try
        {
            StoredContent kept;
            await using (var file = PrivateFiles.Create(temporary))
            {
                kept = await ContentHash.CopyAsync(content, file, cancellation);
            }
            var target = PathOf(kept.Sha256);
            PrivateFiles.Folder(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.SetAttributes(temporary, FileAttributes.ReadOnly);
                try
                {
                    File.Move(temporary, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another Host kept the same content a moment before: same name, same bytes.
                }
            }
            return kept;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<string?> CheckAsync(EvidenceFile file, CancellationToken cancellation)
    {
        if (!EvidenceHash.IsValid(file.Sha256))
        {
            return EvidenceHash.Malformed(file);
        }
        var path = PathOf(file.Sha256);
        if (!File.Exists(path))
        {
            return EvidenceHash.Missing(file);
        }
        await using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
        return EvidenceHash.Altered(file, actual);
    }

    public Task DiscardAsync(string sha256, CancellationToken cancellation)
    {
        File.Delete(PathOf(sha256));
        return Task.CompletedTask;
    }
}
