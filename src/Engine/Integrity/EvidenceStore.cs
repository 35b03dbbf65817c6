using System.Security.Cryptography;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// Files kept by their SHA-256 under one folder (<c>ab/abcdef…</c>): written once, never overwritten, so a file's
/// name is its proof. Recordings and documents live here; events carry their hashes. Folders are 0700 and files 0400
/// (0600 while written, then read-only) on Unix: only the service's account reads them (<see cref="PrivateFiles"/>).
/// </summary>
public sealed class EvidenceStore(string root)
{
    public string Root { get; } = root;

    public string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256);

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public Stream Open(string sha256) => File.OpenRead(PathOf(sha256));

    /// <summary>Stores the content and returns its hash and size; storing the same content again changes nothing.</summary>
    public async Task<(string Sha256, long Size)> PutAsync(Stream content, CancellationToken cancellation)
    {
        PrivateFiles.Folder(Root);
        var temporary = Path.Combine(Root, $".incoming-{Guid.NewGuid():N}");
        string sha;
        long size;
        await using (var file = PrivateFiles.Create(temporary))
        {
            using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
            {
                hasher.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }
            sha = Convert.ToHexStringLower(hasher.GetHashAndReset());
            size = file.Length;
        }
        var target = PathOf(sha);
        PrivateFiles.Folder(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(temporary);
        }
        else
        {
            File.Move(temporary, target);
            File.SetAttributes(target, FileAttributes.ReadOnly);
        }
        return (sha, size);
    }

    /// <summary>Null when the stored file is there and still has its hash; otherwise what is wrong.</summary>
    public string? Check(EvidenceFile file)
    {
        var path = PathOf(file.Sha256);
        if (!File.Exists(path))
        {
            return $"file missing: the {file.Kind} {file.Sha256} is not in the evidence store";
        }
        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return actual == file.Sha256 ? null : $"file altered: the {file.Kind} {file.Sha256} now hashes to {actual}";
    }
}
