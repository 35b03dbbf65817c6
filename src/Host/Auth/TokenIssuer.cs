using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Host.Auth;

/// <summary>Signs access tokens for local accounts.</summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeProvider clock)
{
    /// <summary>How long an access token of a local account lives; its session's refresh token buys the next one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>An access token of a session (claim <c>sid</c>): fifteen minutes, never past the session's end.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(AuthSession session)
    {
        var left = session.ExpiresAt - clock.GetUtcNow();
        return Issue(session.User, session.Role, null, left < Lifetime ? left : Lifetime, sessionId: session.Id);
    }

    /// <summary>
    /// A customer's token: role customer, bound to one case, short-lived; it grants nothing on any other case, and it speaks for the customer only while <paramref name="linkId"/> is the case's current link.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueCustomer(Guid caseId, string linkId, TimeSpan lifetime) =>
        Issue($"customer:{caseId:N}", Engine.Activities.Roles.Customer, caseId, lifetime, linkId);

    /// <summary>An invited participant's token: bound to one case and their own link; it opens the case's video room and nothing else.</summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueParticipant(Guid caseId, string linkId, TimeSpan lifetime) =>
        Issue($"participant:{linkId}", Engine.Activities.Roles.Participant, caseId, lifetime, linkId);

    private (string Token, DateTimeOffset ExpiresAt) Issue(string user, string role, Guid? caseId, TimeSpan lifetime, string? linkId = null, string? sessionId = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        var claims = new List<Claim> { new("sub", user), new(AuthSetup.RoleClaim, role) };
        if (caseId is { } id)
        {
            claims.Add(new Claim(Media.CaseAccess.CaseClaim, id.ToString()));
            claims.Add(new Claim(Customers.CustomerConfirmations.LinkClaim, linkId ?? ""));
        }
        if (sessionId is not null)
        {
            claims.Add(new Claim(SessionStore.IdClaim, sessionId));
        }
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthSetup.Issuer,
            Audience = AuthSetup.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
