using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// The timestamp authorities whose tokens this Host believes: certificates read from the PEM files listed in
/// <c>Timestamp:TrustedCertificates</c>, or the local authority's <c>tsa.pem</c> when none are listed.
/// </summary>
public sealed class TimestampTrust(IReadOnlyCollection<X509Certificate2> authorities)
{
    public const string Key = "Timestamp:TrustedCertificates";

    public IReadOnlyCollection<X509Certificate2> Authorities => authorities;

    /// <summary>Checks a token over <paramref name="data"/> against these authorities only.</summary>
    public TimestampCheck Verify(byte[] token, ReadOnlySpan<byte> data) => TimestampVerifier.Verify(token, data, authorities);

    /// <summary>The paths in a comma- or semicolon-separated setting, blanks dropped.</summary>
    public static IReadOnlyList<string> Paths(string? setting) =>
        (setting ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Every certificate in the files (a file may hold a bundle); an unreadable or empty file stops the start, naming the key.</summary>
    public static TimestampTrust FromPemFiles(IEnumerable<string> paths)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var path in paths)
        {
            var found = new X509Certificate2Collection();
            try
            {
                found.ImportFromPemFile(path);
            }
            catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new ConfigurationProblemException($"{Key}: cannot read {path}: {ex.Message}");
            }
            if (found.Count == 0)
            {
                throw new ConfigurationProblemException($"{Key}: {path} holds no PEM certificate.");
            }
            certificates.AddRange(found);
        }
        return new TimestampTrust(certificates);
    }
}
