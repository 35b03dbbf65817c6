using System.Globalization;
using System.Security.Claims;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;

namespace VirtualBranch.Host.Cases;

/// <summary>Reads the actor, the correlation and the If-Match version from a request.</summary>
public static class RequestActor
{
    public static Actor Of(ClaimsPrincipal user) =>
        new(user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown", user.FindFirstValue(AuthSetup.RoleClaim) ?? "unknown");

    public static RequestContext Context(HttpContext http) =>
        new(http.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 200 } given ? given : http.TraceIdentifier, http.TraceIdentifier,
            http.Items[typeof(Idempotency.IdempotencyClaim)] as Idempotency.IdempotencyClaim);

    /// <summary>The version in <c>If-Match: "5"</c>; false when the header is there but is not a version.</summary>
    public static bool TryIfMatch(HttpContext http, out long? version)
    {
        version = null;
        var header = http.Request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrEmpty(header))
        {
            return true;
        }
        var text = header.Trim().TrimStart('W', '/').Trim('"');
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }
        return false;
    }
}
