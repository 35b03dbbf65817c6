using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// One RFC 3161 exchange seen from the asking side: the query for some data, then the checks that turn a reply into a
/// token, each failure named. The local and the HTTP authority both go through here, so every token handed out is one
/// that .NET's own <see cref="Rfc3161TimestampRequest.ProcessResponse"/> accepted for this very query.
/// </summary>
public static class TimestampExchange
{
    // PKIFailureInfo bit positions (RFC 3161 §2.4.2); the gaps are CMP codes a TSA does not send.
    private static readonly (int Bit, string Name)[] Failures =
    [
        (0, "badAlg"), (2, "badRequest"), (5, "badDataFormat"), (14, "timeNotAvailable"), (15, "unacceptedPolicy"),
        (16, "unacceptedExtension"), (17, "addInfoNotAvailable"), (25, "systemFailure"),
    ];

    private static readonly string[] Statuses = ["granted", "grantedWithMods", "rejection", "waiting", "revocationWarning", "revocationNotification"];

    /// <summary>A SHA-256 query asking for the signer's certificate, with a fresh 128-bit nonce so a replayed reply is caught.</summary>
    public static Rfc3161TimestampRequest Query(ReadOnlySpan<byte> data) =>
        Rfc3161TimestampRequest.CreateFromData(data, HashAlgorithmName.SHA256, requestSignerCertificates: true, nonce: RandomNumberGenerator.GetBytes(16));

    /// <summary>The token in a DER TimeStampResp, exactly as the authority encoded it; throws naming <paramref name="source"/> when the reply does not answer the query.</summary>
    public static byte[] Accept(Rfc3161TimestampRequest query, byte[] reply, string source)
    {
        var (status, failures, texts, token) = Read(reply, source);
        if (status is not (0 or 1))
        {
            var name = status >= 0 && status < Statuses.Length ? Statuses[status] : "unknown";
            var why = string.Join(", ", failures.Concat(texts.Select(t => $"\"{t}\"")));
            throw new TimestampAuthorityException($"{source} refused the timestamp: status {name} ({status}){(why.Length > 0 ? ": " + why : "")}.");
        }
        if (token is null || !Rfc3161TimestampToken.TryDecode(token, out var decoded, out var read) || read != token.Length)
        {
            throw new TimestampAuthorityException($"{source} granted the timestamp but sent no readable RFC 3161 token.");
        }
        var info = decoded.TokenInfo;
        if (info.HashAlgorithmId.Value != query.HashAlgorithmId.Value || !info.GetMessageHash().Span.SequenceEqual(query.GetMessageHash().Span))
        {
            throw new TimestampAuthorityException(
                $"{source} stamped other data: the token's imprint is {info.HashAlgorithmId.Value} {Convert.ToHexString(info.GetMessageHash().Span)}, " +
                $"the query's {query.HashAlgorithmId.Value} {Convert.ToHexString(query.GetMessageHash().Span)}.");
        }
        if (!(info.GetNonce() ?? default).Span.SequenceEqual((query.GetNonce() ?? default).Span))
        {
            throw new TimestampAuthorityException($"{source} answered with another query's nonce: a replayed or misrouted reply.");
        }
        try
        {
            query.ProcessResponse(reply, out _);
        }
        catch (CryptographicException ex)
        {
            throw new TimestampAuthorityException($"{source} sent a token that does not answer the query: {ex.Message}", ex);
        }
        return token;
    }

    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
    // PKIStatusInfo ::= SEQUENCE { status INTEGER, statusString SEQUENCE OF UTF8String OPTIONAL, failInfo BIT STRING OPTIONAL }
    private static (int Status, List<string> Failures, List<string> Texts, byte[]? Token) Read(byte[] reply, string source)
    {
        try
        {
            var outer = new AsnReader(reply, AsnEncodingRules.BER);
            var response = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var statusInfo = response.ReadSequence();
            var status = statusInfo.TryReadInt32(out var value) ? value : -1;
            var texts = new List<string>();
            if (statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var free = statusInfo.ReadSequence();
                while (free.HasData)
                {
                    texts.Add(free.ReadCharacterString(UniversalTagNumber.UTF8String));
                }
            }
            var bits = statusInfo.HasData ? statusInfo.ReadBitString(out _) : [];
            var failures = Failures.Where(f => f.Bit / 8 < bits.Length && (bits[f.Bit / 8] & (0x80 >> (f.Bit % 8))) != 0).Select(f => f.Name).ToList();
            var token = response.HasData ? response.ReadEncodedValue().ToArray() : null;
            return (status, failures, texts, token);
        }
        catch (AsnContentException ex)
        {
            throw new TimestampAuthorityException($"{source} answered with something that is not an RFC 3161 TimeStampResp: {ex.Message}", ex);
        }
    }
}
