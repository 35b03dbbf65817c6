using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth;

/// <summary>
/// A browser attaches the session cookie to a request that another site makes it send. So a write (any method but
/// GET, HEAD, OPTIONS, TRACE) that carries the cookie and no bearer token must name this site as its
/// <c>Origin</c> (or, without one, say <c>Sec-Fetch-Site: same-origin</c>); and no other site may sign a browser in
/// (login CSRF). A refusal is a 403 problem that says which header was wrong.
/// </summary>
public static class SameOriginWrites
{
    public const string SignInPath = "/api/auth/session";

    public static void UseSameOriginWrites(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (Refusal(context.Request) is { } detail)
        {
            await ApiProblems.Forbidden("Cross-site request refused", detail).ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>Why the request may come from another site and is refused; null when it may go on.</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return null;
        }
        // A CSP report changes nothing but the log, and browsers send it with the cookie and without a reliable Origin.
        if (request.Path.Equals(Security.CspReportApi.Path, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var signIn = HttpMethods.IsPost(request.Method) && request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase);
        var cookieOnly = CarriesCookieOnly(request);
        if (!signIn && !cookieOnly)
        {
            return null;
        }
        var origin = request.Headers.Origin.ToString();
        var own = OwnOrigin(request);
        if (origin.Length > 0)
        {
            return SameOrigin(origin, request) ? null
                : signIn ? $"A sign-in must come from this site's own page: its Origin is {origin}, this site is {own}."
                : $"A change made with the session cookie must come from this site's own pages: its Origin is {origin}, this site is {own}.";
        }
        // A sign-in without an Origin and without a cookie comes from a program, not from a page in a browser.
        if (!cookieOnly)
        {
            return null;
        }
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        return fetchSite == "same-origin"
            ? null
            : $"A change made with the session cookie must name this site ({own}) in its Origin header, or say Sec-Fetch-Site: same-origin; " +
              (fetchSite.Length == 0 ? "it has neither." : $"it has no Origin and Sec-Fetch-Site: {fetchSite}.");
    }

    private static bool CarriesCookieOnly(HttpRequest request) =>
        request.Cookies.ContainsKey(AuthSetup.CookieName)
        && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static string OwnOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    // scheme://host[:port], the default port written or not; "null" (an opaque origin) is never this site.
    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost.Trim('[', ']'), request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
        && uri.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
}
