using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace VirtualBranch.Host.Auth;

/// <summary>Signs access tokens for local accounts.</summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public (string Token, DateTimeOffset ExpiresAt) Issue(string user, string role)
    {
        var now = clock.GetUtcNow();
        var expires = now + Lifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthSetup.Issuer,
            Audience = AuthSetup.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", user), new Claim(AuthSetup.RoleClaim, role)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
