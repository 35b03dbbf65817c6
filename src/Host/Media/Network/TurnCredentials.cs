using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualBranch.Host.Media.Network;

/// <summary>
/// Short-lived TURN credentials by the shared-secret scheme of the TURN REST API (coturn's <c>use-auth-secret</c>): the
/// username is the expiry in Unix seconds and who asked, the credential base64(HMAC-SHA1(secret, username)), so the TURN
/// server checks them with the secret alone, and a leaked pair stops working within minutes.
/// </summary>
public static class TurnCredentials
{
    /// <summary>How long a pair opens new allocations; a TURN server checks the expiry only when a relay is opened, so a call outlives it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public sealed record Credential(string Username, string Password, DateTimeOffset ExpiresAt);

    public static Credential Issue(TurnSecret secret, string subject, DateTimeOffset now)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(now.Add(Lifetime).ToUnixTimeSeconds());
        // The colon separates the expiry from the subject; a customer's subject ("customer:<case>") must not add another.
        var username = $"{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:{subject.Replace(':', '-')}";
        return new Credential(username, Sign(secret.Value, username), expires);
    }

    /// <summary>base64(HMAC-SHA1(secret, username)): SHA-1 is what the scheme and every TURN server implementing it use.</summary>
#pragma warning disable CA5350 // HMAC-SHA1 is fixed by the TURN REST API; it authenticates, it does not hash for collision resistance.
    public static string Sign(string secret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
}
