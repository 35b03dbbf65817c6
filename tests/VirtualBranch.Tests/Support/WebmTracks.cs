namespace VirtualBranch.Tests.Support;

/// <summary>A track of a WebM file: 1 video, 2 audio; a video track's frame size.</summary>
public sealed record WebmTrack(long Type, string? Codec, long? PixelWidth, long? PixelHeight);

/// <summary>Reads the track list of a WebM (Matroska/EBML) file as MediaRecorder writes it, to check what a recording holds.</summary>
public static class WebmTracks
{
    private const long EbmlHeader = 0x1A45DFA3, Segment = 0x18538067, Tracks = 0x1654AE6B, TrackEntry = 0xAE, Cluster = 0x1F43B675;
    private const long TrackType = 0x83, CodecId = 0x86, Video = 0xE0, PixelWidth = 0xB0, PixelHeight = 0xBA;

    public static IReadOnlyList<WebmTrack> Read(byte[] webm)
    {
        var at = 0;
        var (id, size) = Element(webm, ref at);
        if (id != EbmlHeader)
        {
            throw new InvalidDataException("Not a WebM file: no EBML header.");
        }
        at += (int)size;
        (id, _) = Element(webm, ref at);
        if (id != Segment)
        {
            throw new InvalidDataException("No segment after the EBML header.");
        }
        while (at < webm.Length)
        {
            (id, size) = Element(webm, ref at);
            if (id == Tracks)
            {
                return [.. Children(webm, at, at + (int)size).Where(c => c.Id == TrackEntry).Select(c => Track(webm, c.Start, c.End))];
            }
            if (id == Cluster || size < 0)
            {
                break;
            }
            at += (int)size;
        }
        throw new InvalidDataException("No track list before the first cluster.");
    }

    private static WebmTrack Track(byte[] webm, int start, int end)
    {
        long type = 0;
        string? codec = null;
        long? width = null, height = null;
        foreach (var (id, from, to) in Children(webm, start, end))
        {
            if (id == TrackType)
            {
                type = Number(webm, from, to);
            }
            else if (id == CodecId)
            {
                codec = System.Text.Encoding.ASCII.GetString(webm, from, to - from);
            }
            else if (id == Video)
            {
                foreach (var (vid, vfrom, vto) in Children(webm, from, to))
                {
                    if (vid == PixelWidth)
                    {
                        width = Number(webm, vfrom, vto);
                    }
                    else if (vid == PixelHeight)
                    {
                        height = Number(webm, vfrom, vto);
                    }
                }
            }
        }
        return new WebmTrack(type, codec, width, height);
    }

    private static List<(long Id, int Start, int End)> Children(byte[] webm, int start, int end)
    {
        var children = new List<(long, int, int)>();
        var at = start;
        while (at < end)
        {
            var (id, size) = Element(webm, ref at);
            children.Add((id, at, at + (int)size));
            at += (int)size;
        }
        return children;
    }

    /// <summary>An element's id (with its length marker, as the spec writes ids) and its size (-1 when unknown), moving past both.</summary>
    private static (long Id, long Size) Element(byte[] webm, ref int at)
    {
        var idLength = Length(webm[at]);
        long id = 0;
        for (var i = 0; i < idLength; i++)
        {
            id = (id << 8) | webm[at + i];
        }
        at += idLength;
        var sizeLength = Length(webm[at]);
        long size = webm[at] & (0xFF >> sizeLength);
        var unknown = size == (0xFF >> sizeLength);
        for (var i = 1; i < sizeLength; i++)
        {
            size = (size << 8) | webm[at + i];
            unknown &= webm[at + i] == 0xFF;
        }
        at += sizeLength;
        return (id, unknown ? -1 : size);
    }

    private static int Length(byte first) => first == 0 ? throw new InvalidDataException("A variable-length number longer than 8 bytes.") : 8 - (int)Math.Log2(first);

    private static long Number(byte[] webm, int from, int to)
    {
        long value = 0;
        for (var i = from; i < to; i++)
        {
            value = (value << 8) | webm[i];
        }
        return value;
    }
}
