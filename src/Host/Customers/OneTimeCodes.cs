using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// Link codes (256 bits) and six-digit one-time codes, stored only as HMAC-SHA256 under a key kept in the data folder:
/// someone who reads the database cannot recover a code, nor try the million six-digit codes offline.
/// </summary>
public sealed class OneTimeCodes
{
    public const string KeyFile = "customer-codes.key";

    private readonly byte[] _key;

    public OneTimeCodes(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, KeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory); // the data folder's own mode is the scripts' (PostgreSQL's cluster lives in it)
            using var file = PrivateFiles.Create(path);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        }
        _key = Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    /// <summary>A link's code: 256 random bits, URL-safe.</summary>
    public static string NewLinkCode() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A code a person types: six digits, uniformly drawn.</summary>
    public static string NewDigits() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The stored form of <paramref name="code"/> within <paramref name="scope"/> (a link, a step), so a code is worth nothing elsewhere.</summary>
    public string Hash(string scope, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{scope}\n{code}")));

    public bool Matches(string scope, string code, string? stored) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(scope, code)), Encoding.ASCII.GetBytes(stored));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
