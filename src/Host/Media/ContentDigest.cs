namespace VirtualBranch.Host.Media;

/// <summary>RFC 9530 <c>Content-Digest: sha-256=:&lt;base64&gt;:</c> and bounded body reading.</summary>
public static class ContentDigest
{
    public static string? Sha256Hex(string? header)
    {
        if (header is null)
        {
            return null;
        }
        foreach (var part in header.Split(','))
        {
            var item = part.Trim();
            if (item.StartsWith("sha-256=:", StringComparison.OrdinalIgnoreCase) && item.EndsWith(':') && item.Length > 10)
            {
                try
                {
                    var bytes = Convert.FromBase64String(item[9..^1]);
                    return bytes.Length == 32 ? Convert.ToHexStringLower(bytes) : null;
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
