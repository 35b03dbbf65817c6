namespace VirtualBranch.Host.Auth;

/// <summary>One local account: a user name, a role and a password hash (never the password).</summary>
public sealed record LocalAccount(string User, string Role, string PasswordHash);

/// <summary>The local accounts from configuration (<c>Accounts:N:User|Role|PasswordHash</c>).</summary>
public sealed class LocalAccounts(IEnumerable<LocalAccount> accounts)
{
    private readonly Dictionary<string, LocalAccount> _byUser = accounts.ToDictionary(a => a.User, StringComparer.Ordinal);

    public LocalAccount? SignIn(string user, string password) =>
        _byUser.TryGetValue(user, out var account) && PasswordHasher.Verify(password, account.PasswordHash) ? account : null;

    public IReadOnlyList<string> UsersInRole(string role) =>
        [.. _byUser.Values.Where(a => a.Role == role).Select(a => a.User).Order(StringComparer.Ordinal)];

    public static LocalAccounts FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetSection("Accounts").GetChildren()
            .Select(a => new LocalAccount(a["User"] ?? "", a["Role"] ?? "", a["PasswordHash"] ?? ""))
            .Where(a => a.User.Length > 0 && a.Role.Length > 0 && a.PasswordHash.Length > 0));
}
