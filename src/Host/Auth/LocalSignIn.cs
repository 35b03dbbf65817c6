using Marten;
using VirtualBranch.Host.Auth.Lockout;
using VirtualBranch.Host.Auth.Passwords;
using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// Signing in to a local account and changing its password, for the pages and the API alike: the password is checked
/// against the hash the user changed to, else the configured one, and every sign-in is a session in PostgreSQL. Wrong
/// passwords in a row lock the name (<see cref="AccountLockouts"/>); while it is locked no password is checked at all, so
/// the answer cannot tell a right one from a wrong one.
/// </summary>
public sealed class LocalSignIn(LocalAccounts accounts, SessionStore sessions, AccountLockouts lockouts, IDocumentStore store, TimeProvider clock)
{
    private static readonly SignInOutcome.Refused Refused = new();

    /// <summary>A new session when the name and password match and the name is not locked.</summary>
    public async Task<SignInOutcome> SignInAsync(string user, string password, SessionKind kind, CancellationToken cancellation)
    {
        var lockout = await lockouts.FindAsync(user, cancellation);
        if (lockout?.LockedUntil is { } until && lockout.IsLockedAt(clock.GetUtcNow()))
        {
            return new SignInOutcome.Locked(until);
        }
        if (accounts.SignIn(user, password, await ChangedHashAsync(user, cancellation)) is not { } account)
        {
            return await lockouts.RecordFailureAsync(user, cancellation) is { } lockedNow ? new SignInOutcome.Locked(lockedNow) : Refused;
        }
        if (lockout is not null)
        {
            await lockouts.ResetAsync(user, cancellation);
        }
        var started = await sessions.StartAsync(account, kind, cancellation);
        // A password change that revoked the user's sessions while this sign-in was checking the old password missed this one.
        if (await ChangedHashAsync(user, cancellation) is { } current && current != account.PasswordHash)
        {
            await sessions.RevokeAsync(started.Session.Id, cancellation);
            return Refused;
        }
        return new SignInOutcome.SignedIn(started);
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
