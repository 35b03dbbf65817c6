using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace VirtualBranch.Host.Integrity;

/// <summary>What checking a signature against pinned keys found.</summary>
public sealed record SignatureCheck(bool Valid, string? Signer, string? Thumbprint, string Detail);

/// <summary>
/// The keys a verifier trusts, pinned by the SHA-256 fingerprint of their certificates: the bank's signing certificates
/// (several, so keys can rotate and old seals still verify with the key that was valid when they were made). A
/// signature counts only when it verifies with a pinned certificate that was valid at the moment it claims; the
/// certificate a signature carries is never trusted for being there.
/// </summary>
public sealed class TrustStore
{
    private readonly Dictionary<string, X509Certificate2?> _pinned;

    private TrustStore(Dictionary<string, X509Certificate2?> pinned) => _pinned = pinned;

    /// <summary>The pinned fingerprints (SHA-256 of each certificate, upper-case hex).</summary>
    public IReadOnlyCollection<string> Fingerprints => _pinned.Keys;

    /// <summary>The pinned certificates themselves (those pinned by fingerprint alone are not listed).</summary>
    public IReadOnlyList<X509Certificate2> Certificates => [.. _pinned.Values.OfType<X509Certificate2>()];

    public static TrustStore Of(IEnumerable<X509Certificate2> certificates) =>
        new(certificates.ToDictionary(Fingerprint, c => (X509Certificate2?)c, StringComparer.OrdinalIgnoreCase));

    /// <summary>Every certificate in a PEM file (a file of several <c>BEGIN CERTIFICATE</c> blocks).</summary>
    public static TrustStore Load(string pemPath)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemPath);
        return certificates.Count == 0 ? throw new CryptographicException($"{pemPath} holds no certificate") : Of(certificates);
    }

    /// <summary>A certificate pinned by its SHA-256 fingerprint alone (hex, colons and spaces allowed).</summary>
    public static TrustStore OfFingerprint(string fingerprint)
    {
        var hex = new string([.. fingerprint.Where(c => c is not (':' or ' '))]);
        return hex.Length == 64 && hex.All(Uri.IsHexDigit)
            ? new(new(StringComparer.OrdinalIgnoreCase) { [hex.ToUpperInvariant()] = null })
            : throw new FormatException($"'{fingerprint}' is not a SHA-256 fingerprint (64 hex digits)");
    }

    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public bool Trusts(X509Certificate2 certificate) => _pinned.ContainsKey(Fingerprint(certificate));

    /// <summary>Checks a detached CMS signature over <paramref name="content"/>, made at <paramref name="at"/> (when known).</summary>
    public SignatureCheck Check(byte[] content, byte[] signature, DateTimeOffset? at)
    {
        X509Certificate2? signer;
        try
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            cms.Decode(signature);
            if (cms.SignerInfos.Count != 1)
            {
                return new(false, null, null, $"the signature has {cms.SignerInfos.Count} signers, not one");
            }
            var info = cms.SignerInfos[0];
            // The signer is looked up among the pinned certificates as well, for signatures that carry none.
            info.CheckSignature(new X509Certificate2Collection(Certificates.ToArray()), verifySignatureOnly: true);
            signer = info.Certificate;
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            return new(false, null, null, $"the signature does not verify: {ex.Message}");
        }
        if (signer is null)
        {
            return new(false, null, null, "the signature names no certificate it can be checked with");
        }
        var fingerprint = Fingerprint(signer);
        if (!_pinned.ContainsKey(fingerprint))
        {
            return new(false, signer.Subject, fingerprint, $"signed by {signer.Subject} (SHA-256 {fingerprint}), which is not a trusted key");
        }
        if (at is { } moment && (moment < signer.NotBefore || moment > signer.NotAfter))
        {
            return new(false, signer.Subject, fingerprint,
                $"signed by {signer.Subject} at {moment:O}, outside its certificate's validity {signer.NotBefore:O} to {signer.NotAfter:O}");
        }
        return new(true, signer.Subject, fingerprint, $"signed by {signer.Subject} (SHA-256 {fingerprint})");
    }

    /// <summary>The certificates as PEM, as <see cref="Load"/> reads them.</summary>
    public static string ToPem(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => new string(PemEncoding.Write("CERTIFICATE", c.RawData)) + "\n"));
}
