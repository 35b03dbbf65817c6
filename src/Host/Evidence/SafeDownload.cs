using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// How every stored file goes out: as an attachment named by us (kind, short hash, the checked type's extension), with
/// <c>X-Content-Type-Options: nosniff</c> so a browser never guesses another type, and <c>Content-Security-Policy: sandbox</c>
/// so even a file opened in a tab runs no script with the bank's origin.
/// </summary>
public static class SafeDownload
{
    public static IResult File(HttpContext http, Stream content, string? mediaType, string kind, string sha256)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "sandbox";
        var type = mediaType ?? "application/octet-stream";
        return TypedResults.File(content, type, NameOf(kind, sha256, type), enableRangeProcessing: true);
    }

    /// <summary>The download name: never the uploader's, so it cannot carry a misleading extension or a path.</summary>
    public static string NameOf(string kind, string sha256, string? mediaType) =>
        $"{new string([.. kind.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')])}-{sha256[..12]}{FileSignature.ExtensionOf(mediaType)}";
}
