using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth;

/// <summary><c>POST /api/auth/token</c>: a local account's name and password for a bearer token.</summary>
public static class AuthApi
{
    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Role);

    public sealed record SessionResponse(string User, string Role);

    public static void MapAuthApi(this WebApplication app)
    {
        app.MapPost("/api/auth/token", Token)
            .WithTags("Auth").WithName("IssueToken").WithSummary("Sign in with a local account and receive a JWT access token.")
            .AllowAnonymous();
        app.MapPost("/api/auth/session", Session)
            .WithTags("Auth").WithName("SignIn").WithSummary("Sign in for the pages: an HttpOnly, SameSite=Strict session cookie.")
            .AllowAnonymous();
        app.MapPost("/api/auth/session/end", async (HttpContext http) =>
            {
                await http.SignOutAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.NoContent();
            })
            .WithTags("Auth").WithName("SignOut").WithSummary("End the page session.").AllowAnonymous();
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Session(TokenRequest? request, LocalAccounts accounts, HttpContext http)
    {
        if (Authenticate(request, accounts, out var account) is { } refused)
        {
            return refused;
        }
        var identity = new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("sub", account.User), new System.Security.Claims.Claim(AuthSetup.RoleClaim, account.Role)],
            Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme, "sub", AuthSetup.RoleClaim);
        await http.SignInAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme, new System.Security.Claims.ClaimsPrincipal(identity));
        return TypedResults.Ok(new SessionResponse(account.User, account.Role));
    }

    private static Results<Ok<TokenResponse>, ProblemHttpResult> Token(TokenRequest? request, LocalAccounts accounts, TokenIssuer issuer)
    {
        if (Authenticate(request, accounts, out var account) is { } refused)
        {
            return refused;
        }
        var (token, expires) = issuer.Issue(account.User, account.Role);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", expires, account.Role));
    }

    /// <summary>The one check both sign-ins share: a name and a password that match a local account.</summary>
    private static ProblemHttpResult? Authenticate(TokenRequest? request, LocalAccounts accounts, out LocalAccount account)
    {
        account = null!;
        if (string.IsNullOrWhiteSpace(request?.Username) || string.IsNullOrEmpty(request.Password))
        {
            return ApiProblems.Invalid("Sign-in needs a username and a password.",
                [.. Missing("/username", request?.Username), .. Missing("/password", request?.Password)]);
        }
        if (accounts.SignIn(request.Username, request.Password) is not { } found)
        {
            return TypedResults.Problem(title: "Sign-in failed", detail: "The username or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }
        account = found;
        return null;
    }

    private static IEnumerable<VirtualBranch.Engine.Runtime.FieldError> Missing(string path, string? value) =>
        string.IsNullOrWhiteSpace(value) ? [new(path, "Required.")] : [];
}
