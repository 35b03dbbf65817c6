using Marten.Schema;

namespace VirtualBranch.Host.Auth.Sessions;

/// <summary>How a local account signed in: a page's cookie, or an API client's access and refresh tokens.</summary>
public enum SessionKind
{
    Cookie,
    Token,
}

/// <summary>
/// One sign-in of a local account, kept in PostgreSQL so that it can end before it expires: the cookie and every access
/// token carry its id (claim <c>sid</c>), and a session that is revoked, expired or unknown authenticates nothing.
/// </summary>
[UseOptimisticConcurrency]
public sealed record AuthSession
{
    /// <summary>Random, 256 bits, base64url.</summary>
    public required string Id { get; init; }

    public required string User { get; init; }

    public required string Role { get; init; }

    public required SessionKind Kind { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>SHA-256 of the current refresh secret (token sessions only); the secret itself is never stored.</summary>
    public string? RefreshHash { get; init; }

    /// <summary>
    /// Hashes of refresh secrets already exchanged, the latest <see cref="SpentKept"/>: one presented again means a copy
    /// is in someone else's hands. (An older one is merely not valid; the cap keeps a busy client's session small.)
    /// </summary>
    public IReadOnlyList<string> SpentRefreshHashes { get; init; } = [];

    /// <summary>Twice the refreshes of a whole session at one per access token.</summary>
    public const int SpentKept = 64;

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    public AuthSession RevokedOn(DateTimeOffset now) => RevokedAt is null ? this with { RevokedAt = now } : this;

    /// <summary>
    /// Exchanging a refresh secret (given as its hash) for the next one: rotated when it is the current one of an active
    /// session; a spent one ends the whole session, since either the client or a thief holds a newer one.
    /// </summary>
    public RefreshDecision Refresh(string presentedHash, string nextHash, DateTimeOffset now) => this switch
    {
        { Kind: not SessionKind.Token } => new RefreshDecision.Refused("This session was opened with a cookie; it has no refresh token."),
        _ when SpentRefreshHashes.Contains(presentedHash) => new RefreshDecision.Reused(RevokedOn(now)),
        _ when RevokedAt is not null => new RefreshDecision.Refused("The session was ended (signed out, or the password changed). Sign in again."),
        _ when now >= ExpiresAt => new RefreshDecision.Refused("The session has expired. Sign in again."),
        _ when RefreshHash != presentedHash => new RefreshDecision.Refused("The refresh token is not valid."),
        _ => new RefreshDecision.Rotated(this with { RefreshHash = nextHash, SpentRefreshHashes = [.. SpentRefreshHashes.TakeLast(SpentKept - 1), presentedHash] }),
    };
}

/// <summary>What presenting a refresh secret does to its session.</summary>
public abstract record RefreshDecision
{
    private RefreshDecision()
    {
    }

    /// <summary>The secret was the current one: the session now expects the next.</summary>
    public sealed record Rotated(AuthSession Session) : RefreshDecision;

    /// <summary>The secret was spent before: the session is revoked.</summary>
    public sealed record Reused(AuthSession Session) : RefreshDecision;

    /// <summary>Nothing changes; the reason says why the secret buys no token.</summary>
    public sealed record Refused(string Reason) : RefreshDecision;
}
