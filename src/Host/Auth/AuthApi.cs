using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Auth.Lockout;
using VirtualBranch.Host.Auth.Passwords;
using VirtualBranch.Host.Auth.Sessions;
using VirtualBranch.Host.Limits;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// Signing in and out with a local account: a session cookie for the pages; for API clients a fifteen-minute access
/// token with a refresh token that rotates on every use, until the session ends eight hours after sign-in.
/// </summary>
public static class AuthApi
{
    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Role, string RefreshToken, DateTimeOffset RefreshExpiresAt);

    public sealed record SessionResponse(string User, string Role);

    public static void MapAuthApi(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        // Per address before the body is read, then per account once the name is bound, then the lockout inside the sign-in.
        var perAccount = AccountRateLimiter.Filter<TokenRequest>(r => r.Username);
        auth.MapPost("/token", Token).WithName("IssueToken").ProducesProblem(StatusCodes.Status401Unauthorized).RequireRateLimiting(RateLimits.SignIn).AddEndpointFilter(perAccount)
            .WithSummary("Sign in with a local account: a 15-minute access token and a refresh token, for a session of 8 hours.");
        auth.MapPost("/refresh", Refresh).WithName("RefreshToken").ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Exchange a refresh token for a new access token and a new refresh token; a used one presented again ends the session.");
        auth.MapPost("/session", Session).WithName("SignIn").ProducesProblem(StatusCodes.Status401Unauthorized).RequireRateLimiting(RateLimits.SignIn).AddEndpointFilter(perAccount)
            .WithSummary("Sign in for the pages: an HttpOnly, SameSite=Strict session cookie.");
        auth.MapPost("/session/end", End).WithName("SignOut")
            .WithSummary("Sign out: revokes the caller's session (cookie or bearer token) on the server.");
        app.MapPasswordApi();
        app.MapLockoutApi();
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Token(TokenRequest? request, LocalSignIn signIn, TokenIssuer issuer, HttpContext http,
        CancellationToken cancellation)
    {
        var (started, refused) = await SignInAsync(request, signIn, SessionKind.Token, http, cancellation);
        return started is null ? refused! : TypedResults.Ok(Tokens(issuer, started.Session, started.RefreshToken!));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(RefreshRequest? request, SessionStore sessions, TokenIssuer issuer, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request?.RefreshToken))
        {
            return ApiProblems.Invalid("A refresh needs the refresh token of the last token response.", [new("/refreshToken", "Required.")]);
        }
        var (decision, next) = await sessions.RefreshAsync(request.RefreshToken, cancellation);
        return decision switch
        {
            RefreshDecision.Rotated rotated => TypedResults.Ok(Tokens(issuer, rotated.Session, next!)),
            RefreshDecision.Reused => Unauthorized("Refresh token already used",
                "This refresh token was exchanged before, so a copy of it may be in other hands: the session is ended. Sign in again."),
            RefreshDecision.Refused refusal => Unauthorized("Refresh refused", refusal.Reason),
            _ => throw new InvalidOperationException($"Unknown refresh decision {decision}."),
        };
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Session(TokenRequest? request, LocalSignIn signIn, HttpContext http, CancellationToken cancellation)
    {
        var (started, refused) = await SignInAsync(request, signIn, SessionKind.Cookie, http, cancellation);
        if (started is null)
        {
            return refused!;
        }
        var session = started.Session;
        var identity = new ClaimsIdentity(
            [new Claim("sub", session.User), new Claim(AuthSetup.RoleClaim, session.Role), new Claim(SessionStore.IdClaim, session.Id)],
            CookieAuthenticationDefaults.AuthenticationScheme, "sub", AuthSetup.RoleClaim);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = session.IssuedAt, ExpiresUtc = session.ExpiresAt });
        return TypedResults.Ok(new SessionResponse(session.User, session.Role));
    }

    private static async Task<NoContent> End(HttpContext http, SessionStore sessions, CancellationToken cancellation)
    {
        if (http.User.FindFirst(SessionStore.IdClaim)?.Value is { Length: > 0 } id)
        {
            await sessions.RevokeAsync(id, cancellation);
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static TokenResponse Tokens(TokenIssuer issuer, AuthSession session, string refreshToken)
    {
        var (token, expires) = issuer.Issue(session);
        return new TokenResponse(token, "Bearer", expires, session.Role, refreshToken, session.ExpiresAt);
    }

    /// <summary>The one check both sign-ins share: a name and a password that match a local account, and a session for it.</summary>
    private static async Task<(SessionStore.Started? Started, ProblemHttpResult? Refused)> SignInAsync(TokenRequest? request, LocalSignIn signIn, SessionKind kind,
        HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request?.Username) || string.IsNullOrEmpty(request.Password))
        {
            return (null, ApiProblems.Invalid("Sign-in needs a username and a password.",
                [.. Missing("/username", request?.Username), .. Missing("/password", request?.Password)]));
        }
        return await signIn.SignInAsync(request.Username, request.Password, kind, cancellation) switch
        {
            SignInOutcome.SignedIn signedIn => (signedIn.Started, null),
            SignInOutcome.Locked locked => (null, LockedOut(locked.Until, http)),
            _ => (null, Unauthorized("Sign-in failed", "The username or the password is wrong.")),
        };
    }

    /// <summary>423 with the time the lock ends (also as <c>Retry-After</c>); it says nothing about the password just given.</summary>
    private static ProblemHttpResult LockedOut(DateTimeOffset until, HttpContext http)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((until - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status423Locked, "Account locked",
            $"Too many wrong passwords were given for this account in a row, so it is locked until {until:yyyy-MM-dd HH:mm:ss} UTC. No password is checked until then; a supervisor can unlock it sooner.",
            [], new Dictionary<string, object?> { ["lockedUntil"] = until });
    }

    private static ProblemHttpResult Unauthorized(string title, string detail) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, title, detail, []);

    private static IEnumerable<VirtualBranch.Engine.Runtime.FieldError> Missing(string path, string? value) =>
        string.IsNullOrWhiteSpace(value) ? [new(path, "Required.")] : [];
}
