using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Microsoft.IdentityModel.Tokens;

namespace VirtualBranch.Host.Auth.Sessions;

/// <summary>
/// The sessions of local accounts in PostgreSQL: started at sign-in, looked up on every authenticated request, revoked at
/// sign-out or a password change, and (for token sessions) refreshed by rotating a <c>&lt;sid&gt;.&lt;secret&gt;</c> token.
/// </summary>
public sealed class SessionStore(IDocumentStore store, TimeProvider clock)
{
    /// <summary>How long a session lives from sign-in: a working day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public const string IdClaim = "sid";

    // A concurrent change (a refresh, a revocation) makes a save stale; the change is decided again on what is stored.
    private const int Attempts = 5;

    /// <summary>A started session and, for a token session, its first refresh token (held by no one else).</summary>
    public sealed record Started(AuthSession Session, string? RefreshToken);

    public async Task<Started> StartAsync(LocalAccount account, SessionKind kind, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var secret = kind == SessionKind.Token ? NewSecret() : null;
        var session = new AuthSession
        {
            Id = NewSecret(),
            User = account.User,
            Role = account.Role,
            Kind = kind,
            IssuedAt = now,
            ExpiresAt = now + Lifetime,
            RefreshHash = secret is null ? null : Hash(secret),
        };
        await using var documents = store.LightweightSession();
        documents.Insert(session);
        await documents.SaveChangesAsync(cancellation);
        return new Started(session, secret is null ? null : $"{session.Id}.{secret}");
    }

    /// <summary>The session of that id and kind when it is neither revoked nor expired; null otherwise.</summary>
    public async Task<AuthSession?> ActiveAsync(string id, SessionKind kind, CancellationToken cancellation)
    {
        await using var documents = store.QuerySession();
        var session = await documents.LoadAsync<AuthSession>(id, cancellation);
        return session is not null && session.Kind == kind && session.IsActiveAt(clock.GetUtcNow()) ? session : null;
    }

    public Task RevokeAsync(string id, CancellationToken cancellation) =>
        ChangeAsync(id, session => session.RevokedOn(clock.GetUtcNow()), cancellation);

    /// <summary>Revokes every active session of a user (after a password change): cookies and tokens alike stop working.</summary>
    public async Task RevokeAllAsync(string user, CancellationToken cancellation)
    {
        IReadOnlyList<string> ids;
        await using (var documents = store.QuerySession())
        {
            ids = await documents.Query<AuthSession>().Where(s => s.User == user && s.RevokedAt == null).Select(s => s.Id).ToListAsync(cancellation);
        }
        foreach (var id in ids)
        {
            await RevokeAsync(id, cancellation);
        }
    }

    /// <summary>Exchanges a refresh token for its session and the next refresh token; see <see cref="AuthSession.Refresh"/>.</summary>
    public async Task<(RefreshDecision Decision, string? NextToken)> RefreshAsync(string refreshToken, CancellationToken cancellation)
    {
        var parts = refreshToken.Split('.');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return (new RefreshDecision.Refused("The refresh token is malformed: it is <session>.<secret>."), null);
        }
        var presented = Hash(parts[1]);
        var next = NewSecret();
        RefreshDecision decision = new RefreshDecision.Refused("The refresh token belongs to no session.");
        await ChangeAsync(parts[0], session =>
        {
            decision = session.Refresh(presented, Hash(next), clock.GetUtcNow());
            return decision switch
            {
                RefreshDecision.Rotated rotated => rotated.Session,
                RefreshDecision.Reused reused => reused.Session,
                _ => session,
            };
        }, cancellation);
        return (decision, decision is RefreshDecision.Rotated ? $"{parts[0]}.{next}" : null);
    }

    /// <summary>Loads a session, applies a change and saves it when it differs; a stale save is decided again.</summary>
    private async Task ChangeAsync(string id, Func<AuthSession, AuthSession> change, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var documents = store.LightweightSession();
            if (await documents.LoadAsync<AuthSession>(id, cancellation) is not { } session)
            {
                return;
            }
            var changed = change(session);
            if (changed == session)
            {
                return;
            }
            documents.Store(changed);
            try
            {
                await documents.SaveChangesAsync(cancellation);
                return;
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
            }
        }
    }

    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
