using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Host.Auth;

/// <summary>Signing in to a local account, for the pages and the API alike: every sign-in is a session in PostgreSQL.</summary>
public sealed class LocalSignIn(LocalAccounts accounts, SessionStore sessions)
{
    /// <summary>A new session when the name and password match; null otherwise.</summary>
    public async Task<SessionStore.Started?> SignInAsync(string user, string password, SessionKind kind, CancellationToken cancellation) =>
        accounts.SignIn(user, password) is { } account ? await sessions.StartAsync(account, kind, cancellation) : null;
}
