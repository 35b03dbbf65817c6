using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VirtualBranch.Host.Configuration;

/// <summary>
/// HTTPS through Kestrel's own configuration: an https address in <c>--urls</c> / <c>ASPNETCORE_URLS</c> is served with the
/// certificate in <c>Kestrel:Certificates:Default</c> (<c>Path</c> and <c>KeyPath</c> of PEM files, or <c>Path</c> and
/// <c>Password</c> of a PFX). Checked at start, so a missing file or a wrong password is one line naming the key instead
/// of a failure when the first browser connects.
/// </summary>
public static class HttpsSetup
{
    public const string CertificateKey = "Kestrel:Certificates:Default";

    public static void AddHttps(this WebApplicationBuilder builder)
    {
        if (Problem(builder.Configuration, builder.Environment.ContentRootPath, builder.Environment.IsDevelopment(), DateTimeOffset.UtcNow) is { } problem)
        {
            throw new ConfigurationProblemException(problem);
        }
    }

    /// <summary>What is wrong with the HTTPS configuration, naming the key; null when it is usable (or there is no HTTPS).</summary>
    public static string? Problem(IConfiguration configuration, string contentRoot, bool development, DateTimeOffset now)
    {
        var certificate = configuration.GetSection(CertificateKey);
        if (certificate["Path"] is not { Length: > 0 } path)
        {
            var https = (configuration["urls"] ?? "").Split(';').Any(u => u.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase));
            // Kestrel:Endpoints names certificates per endpoint, and in Development Kestrel falls back to the developer certificate.
            return https && !development && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()
                ? $"an https address in --urls / ASPNETCORE_URLS needs a certificate: set {CertificateKey}:Path (and KeyPath, or Password for a PFX); ./run.sh with VB_HTTPS=1 generates one."
                : null;
        }
        path = Path.Combine(contentRoot, path);
        var keyPath = certificate["KeyPath"] is { Length: > 0 } key ? Path.Combine(contentRoot, key) : null;
        foreach (var (name, file) in new[] { ("Path", path), ("KeyPath", keyPath) })
        {
            if (file is not null && !File.Exists(file))
            {
                return $"{CertificateKey}:{name} names '{file}', which does not exist.";
            }
        }
        try
        {
            var password = certificate["Password"];
            using var loaded = keyPath is null ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : password is { Length: > 0 } ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath)
                : X509Certificate2.CreateFromPemFile(path, keyPath);
            if (!loaded.HasPrivateKey)
            {
                return $"{CertificateKey}:Path '{path}' holds no private key: give the key file in {CertificateKey}:KeyPath.";
            }
            return loaded.NotAfter < now ? $"the certificate in {CertificateKey}:Path '{path}' expired on {loaded.NotAfter:yyyy-MM-dd}." : null;
        }
        catch (CryptographicException ex)
        {
            return $"cannot read the certificate in {CertificateKey}:Path '{path}'{(keyPath is null ? $" (a PFX: is {CertificateKey}:Password right?)" : $" with the key in {CertificateKey}:KeyPath")}: {ex.Message}";
        }
    }
}
