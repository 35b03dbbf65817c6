using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// The local authority's own key, kept apart from the bank's: a self-signed ECDSA P-256 certificate in
/// <c>tsa.pfx</c> (mode 0600) and its certificate in <c>tsa.pem</c> for operators and verifiers to pin.
/// </summary>
internal static class LocalTimestampKey
{
    public const string KeyFile = "tsa.pfx";
    public const string CertificateFile = "tsa.pem";

    private const string TimeStampingPurpose = "1.3.6.1.5.5.7.3.8";

    public static X509Certificate2 LoadOrCreate(string dataDirectory, TimeProvider clock)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, KeyFile);
        if (!File.Exists(path))
        {
            Create(path, clock.GetUtcNow());
        }
        // Exportable: BouncyCastle signs the tokens, so the key crosses over once as PKCS #8.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);
        Publish(Path.Combine(dataDirectory, CertificateFile), certificate.ExportCertificatePem() + "\n");
        return certificate;
    }

    private static void Create(string path, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=VirtualBranch local timestamp authority ({Environment.MachineName}), O=VirtualBranch, C=CN",
            key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // RFC 3161 §2.3: the timeStamping purpose, alone, in a critical extension.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingPurpose)], critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var generated = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // Written aside and moved in without overwriting: two Hosts starting together keep one key, never half a file.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, options))
        {
            file.Write(generated.Export(X509ContentType.Pfx));
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }

    private static void Publish(string path, string pem)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != pem)
        {
            File.WriteAllText(path, pem);
        }
    }
}
