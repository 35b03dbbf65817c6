using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// The tamper-evident chain over a case's events. Format 2 (header <c>chain: 2</c>) binds the link to its case:
/// <c>hash = SHA-256("vb-chain/2" ‖ case id ‖ previous hash ‖ version ‖ event type ‖ canonical JSON of the data ‖ recorded-at ‖ actor)</c>,
/// so a case's events copied over another case no longer verify there. Format 1 (no header; streams written before
/// format 2) is the same without the first two parts. Each part is UTF-8, separated by a 0x1F unit separator; the
/// first event's previous hash is 64 zeros.
/// </summary>
public static class HashChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Header names under which each event row keeps its link in the chain.</summary>
    public const string HashHeader = "hash";
    public const string PreviousHeader = "prev";
    public const string RecordedAtHeader = "at";
    public const string ActorRoleHeader = "actor-role";
    public const string ActorIdHeader = "actor-id";
    public const string FormatHeader = "chain";

    /// <summary>The format every new link is written in; rows without <see cref="FormatHeader"/> are format 1.</summary>
    public const string CurrentFormat = "2";

    private const string FormatTag = "vb-chain/2";

    private const byte Separator = 0x1F;

    /// <summary>A format-1 link over data already in canonical form (streams written before links bound their case).</summary>
    public static string Link(string previousHash, long version, string eventType, string canonicalData, string recordedAt, string actor) =>
        Link(null, previousHash, version, eventType, Encoding.UTF8.GetBytes(canonicalData), recordedAt, actor);

    /// <summary>
    /// The link of an event whose data is given as stored JSON (canonicalised here, without building a document): format 2
    /// bound to <paramref name="caseId"/>, or format 1 when it is null.
    /// </summary>
    public static string LinkData(Guid? caseId, string previousHash, long version, string eventType, string dataJson, string recordedAt, string actor)
    {
        var raw = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(dataJson.Length));
        try
        {
            return LinkData(caseId, previousHash, version, eventType, raw.AsSpan(0, Encoding.UTF8.GetBytes(dataJson, raw)), recordedAt, actor);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>The link of an event whose data is given as stored JSON in UTF-8 (format 2 with a case id, format 1 without).</summary>
    public static string LinkData(Guid? caseId, string previousHash, long version, string eventType, ReadOnlySpan<byte> dataUtf8, string recordedAt, string actor)
    {
        var canonical = CanonicalJson.Scratch();
        CanonicalJson.WriteUtf8(dataUtf8, canonical);
        return Link(caseId, previousHash, version, eventType, canonical.WrittenSpan, recordedAt, actor);
    }

    private static string Link(Guid? caseId, string previousHash, long version, string eventType, ReadOnlySpan<byte> canonicalData, string recordedAt, string actor)
    {
        Span<char> versionText = stackalloc char[20];
        version.TryFormat(versionText, out var versionLength, provider: CultureInfo.InvariantCulture);
        Span<char> caseText = stackalloc char[36];
        var caseLength = caseId is { } id && id.TryFormat(caseText, out var written, "D") ? written : 0;
        var utf8 = Encoding.UTF8;
        var length = (caseId is null ? 0 : FormatTag.Length + caseLength + 2) + utf8.GetByteCount(previousHash) + versionLength + utf8.GetByteCount(eventType) + canonicalData.Length + utf8.GetByteCount(recordedAt)
            + utf8.GetByteCount(actor) + 5;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = 0;
            void Part(ReadOnlySpan<char> text, Span<byte> into, bool last = false)
            {
                at += utf8.GetBytes(text, into[at..]);
                if (!last)
                {
                    into[at++] = Separator;
                }
            }
            if (caseId is not null)
            {
                Part(FormatTag, buffer);
                Part(caseText[..caseLength], buffer);
            }
            Part(previousHash, buffer);
            Part(versionText[..versionLength], buffer);
            Part(eventType, buffer);
            canonicalData.CopyTo(buffer.AsSpan(at));
            at += canonicalData.Length;
            buffer[at++] = Separator;
            Part(recordedAt, buffer);
            Part(actor, buffer, last: true);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, at), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The time as it is written into the chain (UTC, round-trip format).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string Actor(string id, string role) => $"{id}/{role}";
}
