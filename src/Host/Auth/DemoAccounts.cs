using System.Security.Cryptography;
using System.Text.Json;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// On the first run of the embedded default, demo accounts with random passwords: the plain passwords go to
/// <c>.data/demo-users.txt</c> for the person at the keyboard, the hashes to <c>.data/accounts.json</c> for the Host.
/// </summary>
public static class DemoAccounts
{
    public const string UsersFile = "demo-users.txt";
    public const string AccountsFile = "accounts.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly (string User, string Role)[] People =
    [
        ("analyst", Roles.Analyst), ("teller", Roles.Teller), ("teller2", Roles.Teller),
        ("supervisor", Roles.Supervisor), ("supervisor2", Roles.Supervisor), ("regulator", Roles.Regulator), ("corebanking", Roles.System),
    ];

    public static void EnsureCreated(string dataDirectory)
    {
        var accountsPath = Path.Combine(dataDirectory, AccountsFile);
        if (File.Exists(accountsPath))
        {
            return;
        }
        Directory.CreateDirectory(dataDirectory);
        var lines = new List<string>();
        var accounts = new List<object>();
        foreach (var (user, role) in People)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('/', 'x').Replace('+', 'y');
            lines.Add($"{user} {role} {password}");
            accounts.Add(new { User = user, Role = role, PasswordHash = PasswordHasher.Hash(password) });
        }
        WritePrivate(Path.Combine(dataDirectory, UsersFile), string.Join('\n', lines) + "\n");
        WritePrivate(accountsPath, JsonSerializer.Serialize(new { Accounts = accounts }, Indented));
    }

    private static void WritePrivate(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
