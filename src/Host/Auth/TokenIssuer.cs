using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VirtualBranch.Host.Auth;

/// <summary>Signs access tokens for local accounts.</summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public (string Token, DateTimeOffset ExpiresAt) Issue(string user, string role) => Issue(user, role, null, Lifetime);

    /// <summary>
    /// A customer's token: role customer, bound to one case, short-lived; it grants nothing on any other case, and it speaks for the customer only while <paramref name="linkId"/> is the case's current link.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt) IssueCustomer(Guid caseId, string linkId, TimeSpan lifetime) =>
        Issue($"customer:{caseId:N}", "customer", caseId, lifetime, linkId);

    private (string Token, DateTimeOffset ExpiresAt) Issue(string user, string role, Guid? caseId, TimeSpan lifetime, string? linkId = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + lifetime;
        var claims = new List<Claim> { new("sub", user), new(AuthSetup.RoleClaim, role) };
        if (caseId is { } id)
        {
            claims.Add(new Claim(Media.CaseAccess.CaseClaim, id.ToString()));
            claims.Add(new Claim(Customers.CustomerConfirmations.LinkClaim, linkId ?? ""));
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
