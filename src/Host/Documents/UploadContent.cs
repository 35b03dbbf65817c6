using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Documents;

/// <summary>
/// An upload's media type is what its bytes are, not what the browser said: the content must be a type we can check
/// (<see cref="FileSignature"/>) and, when the sender named a type, the same one. Whether the kind accepts that type is
/// the document-collection step's rule; this only establishes the fact it decides on.
/// </summary>
public static class UploadContent
{
    /// <summary>Null and the checked media type, or the field error that refuses the upload. An empty file is left to the step, which names it.</summary>
    public static FieldError? Check(string? claimed, ReadOnlySpan<byte> content, out string mediaType)
    {
        var declared = Declared(claimed);
        var found = FileSignature.Detect(content);
        mediaType = found ?? declared ?? "application/octet-stream";
        if (content.IsEmpty)
        {
            return null;
        }
        if (found is null)
        {
            return new FieldError("/file", $"Sent as {declared ?? "no type"}, but the content is not a file we can check "
                + $"(found none of {string.Join(", ", FileSignature.MediaTypes)} by its first bytes).");
        }
        if (declared is not null && declared != found)
        {
            return new FieldError("/file", $"Sent as {declared}, but the content is {FileSignature.Describe(found)} ({found}).");
        }
        return null;
    }

    // A browser that does not know the type says octet-stream or nothing: then the content alone decides.
    private static string? Declared(string? claimed)
    {
        var type = claimed?.Split(';')[0].Trim().ToLowerInvariant();
        return type is null or "" or "application/octet-stream" ? null : type;
    }
}
