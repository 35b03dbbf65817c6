using Marten;
using VirtualBranch.Host.Auth.Passwords;
using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// Signing in to a local account and changing its password, for the pages and the API alike: the password is checked
/// against the hash the user changed to, else the configured one, and every sign-in is a session in PostgreSQL.
/// </summary>
public sealed class LocalSignIn(LocalAccounts accounts, SessionStore sessions, IDocumentStore store, TimeProvider clock)
{
    /// <summary>A new session when the name and password match; null otherwise.</summary>
    public async Task<SessionStore.Started?> SignInAsync(string user, string password, SessionKind kind, CancellationToken cancellation)
    {
        if (accounts.SignIn(user, password, await ChangedHashAsync(user, cancellation)) is not { } account)
        {
            return null;
        }
        var started = await sessions.StartAsync(account, kind, cancellation);
        // A password change that revoked the user's sessions while this sign-in was checking the old password missed this one.
        if (await ChangedHashAsync(user, cancellation) is { } current && current != account.PasswordHash)
        {
            await sessions.RevokeAsync(started.Session.Id, cancellation);
            return null;
        }
        return started;
    }

    /// <summary>Whether the password is the account's current one (the same check, and the same cost, as signing in).</summary>
    public async Task<bool> IsCurrentPasswordAsync(string user, string password, CancellationToken cancellation) =>
        accounts.SignIn(user, password, await ChangedHashAsync(user, cancellation)) is not null;

    /// <summary>Stores the new password's hash and revokes every session of the user, this one included.</summary>
    public async Task ChangePasswordAsync(string user, string newPassword, CancellationToken cancellation)
    {
        await using (var documents = store.LightweightSession())
        {
            documents.Store(new ChangedPassword { Id = user, PasswordHash = PasswordHasher.Hash(newPassword), ChangedAt = clock.GetUtcNow() });
            await documents.SaveChangesAsync(cancellation);
        }
        await sessions.RevokeAllAsync(user, cancellation);
    }

    private async Task<string?> ChangedHashAsync(string user, CancellationToken cancellation)
    {
        await using var documents = store.QuerySession();
        return (await documents.LoadAsync<ChangedPassword>(user, cancellation))?.PasswordHash;
    }
}
