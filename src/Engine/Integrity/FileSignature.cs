namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// What a file is, read from its first bytes (its magic number), never from what the sender claimed: JPEG, PNG, PDF
/// and WebM/Matroska. Only these can be accepted as evidence, because only these can be checked.
/// </summary>
public static class FileSignature
{
    private sealed record Known(string MediaType, string Extension, string Name, byte[] Magic);

    private static readonly Known[] All =
    [
        new("image/jpeg", ".jpg", "JPEG image", [0xFF, 0xD8, 0xFF]),
        new("image/png", ".png", "PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        new("application/pdf", ".pdf", "PDF document", "%PDF-"u8.ToArray()),
        new("video/webm", ".webm", "WebM video", [0x1A, 0x45, 0xDF, 0xA3]),
    ];

    /// <summary>The media types a content check can confirm.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } = [.. All.Select(k => k.MediaType)];

    /// <summary>The media type the content starts like, or null when it is none of the known ones.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        foreach (var known in All)
        {
            if (head.StartsWith(known.Magic))
            {
                return known.MediaType;
            }
        }
        return null;
    }

    /// <summary>The file extension for a checked media type (with its dot); <c>.bin</c> for anything else.</summary>
    public static string ExtensionOf(string? mediaType) => All.FirstOrDefault(k => k.MediaType == mediaType)?.Extension ?? ".bin";

    /// <summary>"a JPEG image" for a sentence; the media type itself when it is not one we know.</summary>
    public static string Describe(string mediaType) => All.FirstOrDefault(k => k.MediaType == mediaType) is { } known ? $"a {known.Name}" : mediaType;
}
