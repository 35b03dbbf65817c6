using System.Text.Json;

namespace VirtualBranch.Engine.Integrity;

/// <summary>A file an event vouches for (a recording, a document): its content hash, and where it is kept.</summary>
public sealed record EvidenceFile(string Kind, string Sha256, long Size, string? MediaType);

/// <summary>
/// Events that vouch for files say so with an <c>evidence</c> property: a list of <see cref="EvidenceFile"/>.
/// Their hashes are inside the event data, so they are chained like everything else.
/// </summary>
public static class EvidenceFiles
{
    public const string Property = "evidence";

    public static IReadOnlyList<EvidenceFile> In(ReadOnlyMemory<byte> utf8EventData)
    {
        using var document = JsonDocument.Parse(utf8EventData);
        if (!TryGet(document.RootElement, out var list))
        {
            return [];
        }
        return [.. list.EnumerateArray().Select(e => new EvidenceFile(
            Text(e, "kind") ?? "file", Text(e, "sha256") ?? "", e.TryGetProperty("size", out var s) || e.TryGetProperty("Size", out s) ? s.GetInt64() : 0, Text(e, "mediaType")))];
    }

    private static bool TryGet(JsonElement root, out JsonElement list)
    {
        list = default;
        return root.ValueKind == JsonValueKind.Object
            && (root.TryGetProperty(Property, out list) || root.TryGetProperty("Evidence", out list))
            && list.ValueKind == JsonValueKind.Array;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) || e.TryGetProperty(char.ToUpperInvariant(name[0]) + name[1..], out v) ? v.GetString() : null;
}
