using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Integrity;

/// <summary>
/// Signs with the bank's key: detached CMS (PKCS #7) with the certificate included. The key comes from
/// <c>Engine:SigningCertificatePath</c> (PFX) and <c>Engine:SigningCertificatePassword</c>; the embedded default
/// generates a self-signed one on first run into <c>.data/bank-signing.pfx</c>.
/// </summary>
public sealed class BankSigner
{
    private readonly X509Certificate2 _certificate;

    public BankSigner(EngineOptions options, IConfiguration configuration)
    {
        var path = configuration["Engine:SigningCertificatePath"] ?? Path.Combine(options.DataDirectory, "bank-signing.pfx");
        var password = configuration["Engine:SigningCertificatePassword"];
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var key = RSA.Create(3072);
            var request = new CertificateRequest("CN=VirtualBranch demo bank, O=VirtualBranch, C=CN", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
            using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
            File.WriteAllBytes(path, generated.Export(X509ContentType.Pfx, password));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        _certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }

    public string Thumbprint => _certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public byte[] Sign(byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate) { IncludeOption = X509IncludeOption.EndCertOnly });
        return cms.Encode();
    }

    /// <summary>
    /// A self-signed certificate must verify against itself; one issued by a CA is checked by the caller against the
    /// bank's published thumbprint (trust in the bank's key is never taken from the bundle alone).
    /// </summary>
    private static bool CertificateIsWhole(X509Certificate2 certificate)
    {
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return true;
        }
        // Chain engines trust a root by identity and skip its self-signature, so check it by hand:
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.
        var outer = new System.Formats.Asn1.AsnReader(certificate.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = outer.ReadEncodedValue().ToArray();
        var algorithm = outer.ReadSequence().ReadObjectIdentifier();
        var signature = outer.ReadBitString(out _);
        using var rsa = certificate.GetRSAPublicKey();
        return algorithm == "1.2.840.113549.1.1.11" && rsa is not null
            && rsa.VerifyData(tbs, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Checks a detached signature over the content; returns the signer's subject, or why it fails.</summary>
    public static (bool Valid, string Detail) Check(byte[] content, byte[] signature)
    {
        try
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            cms.Decode(signature);
            cms.CheckSignature(verifySignatureOnly: true);
            var signer = cms.SignerInfos[0].Certificate;
            if (signer is null)
            {
                return (false, "the signature carries no certificate");
            }
            if (!CertificateIsWhole(signer))
            {
                return (false, $"the signer's certificate ({signer.Subject}) was altered: its own signature does not verify");
            }
            return (true, $"signed by {signer.Subject} (SHA-256 thumbprint {signer.GetCertHashString(HashAlgorithmName.SHA256)})");
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            return (false, $"the signature does not match: {ex.Message}");
        }
    }
}
