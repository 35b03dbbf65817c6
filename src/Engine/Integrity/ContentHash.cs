using System.Security.Cryptography;

namespace VirtualBranch.Engine.Integrity;

/// <summary>Copies content while hashing it, so a store learns a file's name in the same pass that keeps its bytes.</summary>
public static class ContentHash
{
    public static async Task<StoredContent> CopyAsync(Stream content, Stream target, CancellationToken cancellation)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellation)) > 0)
        {
            hasher.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellation);
            size += read;
        }
        return new StoredContent(Convert.ToHexStringLower(hasher.GetHashAndReset()), size);
    }
}
