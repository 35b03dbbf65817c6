using System.Security.Cryptography;
using System.Text;
using VirtualBranch.Host.ESign;

namespace VirtualBranch.Tests.Support;

/// <summary>Small, real files for tests: a WebM (EBML) with VP8 track and clusters, a JPEG, a PNG, a PDF.</summary>
public static class TestMedia
{
    /// <summary>A structurally valid WebM: EBML header, Segment with Info, Tracks (VP8 16×16) and one cluster per second.</summary>
    public static byte[] Webm(int seconds, int seed = 1)
    {
        var random = new Random(seed);
        var clusters = Enumerable.Range(0, seconds).Select(s =>
        {
            var frame = new byte[600];
            random.NextBytes(frame);
            frame[0] = 0x10; frame[1] = 0x02; frame[2] = 0x00; // VP8 keyframe tag, then 0x9d012a start code
            frame[3] = 0x9d; frame[4] = 0x01; frame[5] = 0x2a; frame[6] = 16; frame[7] = 0; frame[8] = 16; frame[9] = 0;
            var block = new byte[] { 0x81, 0x00, 0x00, 0x80 }.Concat(frame).ToArray(); // track 1, timecode 0, keyframe
            return Element(0x1F43B675, Uint(0xE7, (ulong)(s * 1000)), Element(0xA3, block));
        });
        var header = Element(0x1A45DFA3, Uint(0x4286, 1), Uint(0x42F7, 1), Uint(0x42F2, 4), Uint(0x42F3, 8), Text(0x4282, "webm"), Uint(0x4287, 4), Uint(0x4285, 2));
        var info = Element(0x1549A966, Uint(0x2AD7B1, 1_000_000), Text(0x4D80, "VirtualBranch tests"), Text(0x5741, "VirtualBranch tests"));
        var video = Element(0xE0, Uint(0xB0, 16), Uint(0xBA, 16));
        var tracks = Element(0x1654AE6B, Element(0xAE, Uint(0xD7, 1), Uint(0x73C5, 1), Uint(0x83, 1), Text(0x86, "V_VP8"), video));
        var segment = Element(0x18538067, [info, tracks, .. clusters]);
        return [.. header, .. segment];
    }

    /// <summary>A 1×1 PNG (the same bytes for the same seed, different for another seed).</summary>
    public static byte[] Png(byte seed = 0)
    {
        byte[] pixel = [0, seed, (byte)(seed * 7), (byte)(seed * 13)];
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
            .. Chunk("IDAT", Zlib(pixel)), .. Chunk("IEND", [])];
    }

    /// <summary>A 1×1 baseline JPEG (from EmptyFiles' empty.jpg, EXIF removed); the seed goes into a comment segment so each seed is a new file.</summary>
    public static byte[] Jpeg(byte seed = 0)
    {
        var jpeg = Convert.FromBase64String(OnePixelJpeg);
        return [.. jpeg[..2], 0xFF, 0xFE, 0x00, 0x03, seed, .. jpeg[2..]]; // SOI, COM (length 3: itself and one byte), then the rest
    }

    /// <summary>A PDF as the bank renders contracts, with the default fonts.</summary>
    public static byte[] Pdf(string text) => Contracts.Render("Test document", text);

    private static readonly ContractPdf Contracts = new(ContractFonts.Default);

    public static string Digest(byte[] bytes) => $"sha-256=:{Convert.ToBase64String(SHA256.HashData(bytes))}:";

    private const string OnePixelJpeg =
        "/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////2wBDAf//////////////////////////////////////////////////////////////////////////////////////wAARCAABAAEDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCOiiigD//Z";

    private static byte[] Element(uint id, params byte[][] children)
    {
        var body = children.SelectMany(c => c).ToArray();
        return [.. Id(id), .. Size(body.Length), .. body];
    }

    private static byte[] Element(uint id, byte[] body) => [.. Id(id), .. Size(body.Length), .. body];

    private static byte[] Uint(uint id, ulong value)
    {
        var bytes = BitConverter.GetBytes(value).Reverse().SkipWhile(b => b == 0).ToArray();
        return Element(id, bytes.Length == 0 ? [0] : bytes);
    }

    private static byte[] Text(uint id, string value) => Element(id, Encoding.ASCII.GetBytes(value));

    private static byte[] Id(uint id) => BitConverter.GetBytes(id).Reverse().SkipWhile(b => b == 0).ToArray();

    private static byte[] Size(int size) => [0x08, (byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]; // 5-byte EBML size

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var crc = Crc32([.. typeBytes, .. data]);
        return [.. BigEndian((uint)data.Length), .. typeBytes, .. data, .. BigEndian(crc)];
    }

    private static byte[] Zlib(byte[] row)
    {
        using var output = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(row);
        }
        return output.ToArray();
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>A recording chunk as the pages send it: WebM bytes with their SHA-256 in Content-Digest.</summary>
    public static HttpRequestMessage ChunkRequest(string path, byte[] bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("video/webm");
        request.Headers.Add("Content-Digest", Digest(bytes));
        return request;
    }

    /// <summary>Chunk <paramref name="index"/> of a recording's first segment.</summary>
    public static HttpRequestMessage ChunkRequest(Guid recordingId, int index, byte[] bytes) => ChunkRequest($"/api/recordings/{recordingId}/chunks/{index}", bytes);
}
