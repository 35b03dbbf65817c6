using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth;

/// <summary><c>POST /api/auth/token</c>: a local account's name and password for a bearer token.</summary>
public static class AuthApi
{
    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Role);

    public static void MapAuthApi(this WebApplication app) =>
        app.MapPost("/api/auth/token", Token)
            .WithTags("Auth").WithName("IssueToken").WithSummary("Sign in with a local account and receive a JWT access token.")
            .AllowAnonymous();

    private static Results<Ok<TokenResponse>, ProblemHttpResult> Token(TokenRequest? request, LocalAccounts accounts, TokenIssuer issuer)
    {
        if (string.IsNullOrWhiteSpace(request?.Username) || string.IsNullOrEmpty(request.Password))
        {
            return ApiProblems.Invalid("Sign-in needs a username and a password.",
                [.. Missing("/username", request?.Username), .. Missing("/password", request?.Password)]);
        }
        if (accounts.SignIn(request.Username, request.Password) is not { } account)
        {
            return TypedResults.Problem(title: "Sign-in failed", detail: "The username or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, expires) = issuer.Issue(account.User, account.Role);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", expires, account.Role));
    }

    private static IEnumerable<VirtualBranch.Engine.Runtime.FieldError> Missing(string path, string? value) =>
        string.IsNullOrWhiteSpace(value) ? [new(path, "Required.")] : [];
}
