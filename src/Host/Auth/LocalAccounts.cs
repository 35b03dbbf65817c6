namespace VirtualBranch.Host.Auth;

/// <summary>One local account: a user name, a role and a password hash (never the password).</summary>
public sealed record LocalAccount(string User, string Role, string PasswordHash);

/// <summary>The local accounts from configuration (<c>Accounts:N:User|Role|PasswordHash</c>).</summary>
/// <param name="verify">Checks a password against an encoded hash; <see cref="PasswordHasher.Verify"/> unless a test watches it.</param>
public sealed class LocalAccounts(IEnumerable<LocalAccount> accounts, Func<string, string, bool>? verify = null)
{
    private readonly Dictionary<string, LocalAccount> _byUser = accounts.ToDictionary(a => a.User, StringComparer.Ordinal);
    private readonly Func<string, string, bool> _verify = verify ?? PasswordHasher.Verify;

    /// <summary>
    /// The account when the password matches its hash: the one the user changed to (<paramref name="changedHash"/>) if
    /// any, else the configured one; the account returned carries the hash that matched.
    /// </summary>
    public LocalAccount? SignIn(string user, string password, string? changedHash = null)
    {
        if (!_byUser.TryGetValue(user, out var account))
        {
            // As slow as a known user's check, so the answer's time does not tell which user names exist.
            _verify(password, PasswordHasher.Unmatchable);
            return null;
        }
        var hash = changedHash ?? account.PasswordHash;
        return _verify(password, hash) ? account with { PasswordHash = hash } : null;
    }

    public IReadOnlyList<string> UsersInRole(string role) =>
        [.. _byUser.Values.Where(a => a.Role == role).Select(a => a.User).Order(StringComparer.Ordinal)];

    public static LocalAccounts FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetSection("Accounts").GetChildren()
            .Select(a => new LocalAccount(a["User"] ?? "", a["Role"] ?? "", a["PasswordHash"] ?? ""))
            .Where(a => a.User.Length > 0 && a.Role.Length > 0 && a.PasswordHash.Length > 0));
}
