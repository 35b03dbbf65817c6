using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// Checks an RFC 3161 token over some data against pinned authorities. A certificate inside the token only helps find
/// the signer; trust comes from <c>trustedAuthorities</c> alone, compared byte for byte.
/// </summary>
public static class TimestampVerifier
{
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";

    /// <summary>Never throws for a damaged or foreign token: every failure is a <see cref="TimestampCheck"/> that says why.</summary>
    public static TimestampCheck Verify(byte[] token, ReadOnlySpan<byte> data, IReadOnlyCollection<X509Certificate2> trustedAuthorities)
    {
        try
        {
            return Check(token, data, trustedAuthorities);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or ArgumentException)
        {
            return new TimestampCheck(false, null, null, $"The timestamp token is damaged: {ex.Message}");
        }
    }

    private static TimestampCheck Check(byte[] token, ReadOnlySpan<byte> data, IReadOnlyCollection<X509Certificate2> trustedAuthorities)
    {
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out var read) || read != token.Length)
        {
            return new TimestampCheck(false, null, null, "The bytes are not one RFC 3161 timestamp token.");
        }
        var info = decoded.TokenInfo;
        var time = info.Timestamp;
        if (info.HashAlgorithmId.Value != Sha256)
        {
            return new TimestampCheck(false, time, null, $"The token's imprint uses {info.HashAlgorithmId.Value}, not SHA-256.");
        }
        if (!info.GetMessageHash().Span.SequenceEqual(SHA256.HashData(data)))
        {
            return new TimestampCheck(false, time, null,
                $"The token stamps other data: its imprint {Convert.ToHexString(info.GetMessageHash().Span)} is not the SHA-256 of these bytes.");
        }
        if (trustedAuthorities.Count == 0)
        {
            return new TimestampCheck(false, time, null, "No timestamp authority is trusted: pin one in Timestamp:TrustedCertificates.");
        }
        if (!decoded.VerifySignatureForData(data, out var signer, [.. trustedAuthorities]) || signer is null)
        {
            return new TimestampCheck(false, time, null, $"The token's signature does not verify with the key of its signer ({SignerId(decoded)}).");
        }
        var named = $"{signer.Subject} (SHA-256 thumbprint {signer.GetCertHashString(HashAlgorithmName.SHA256)})";
        if (!trustedAuthorities.Any(t => t.RawData.AsSpan().SequenceEqual(signer.RawData)))
        {
            return new TimestampCheck(false, time, signer.Subject, $"The token is signed by {named}, which is not a trusted timestamp authority.");
        }
        if (time.UtcDateTime < signer.NotBefore.ToUniversalTime() || time.UtcDateTime > signer.NotAfter.ToUniversalTime())
        {
            return new TimestampCheck(false, time, signer.Subject,
                $"The token's time {time:O} lies outside the validity of {named} ({signer.NotBefore.ToUniversalTime():O} to {signer.NotAfter.ToUniversalTime():O}).");
        }
        return new TimestampCheck(true, time, signer.Subject, $"Stamped at {time:O} by {named}.");
    }

    private static string SignerId(Rfc3161TimestampToken token)
    {
        var id = token.AsSignedCms().SignerInfos[0].SignerIdentifier;
        return id.Value switch
        {
            X509IssuerSerial serial => $"issuer {serial.IssuerName}, serial {serial.SerialNumber}",
            string keyId => $"key id {keyId}",
            _ => id.Type.ToString(),
        };
    }
}
