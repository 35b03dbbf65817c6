namespace VirtualBranch.Host.Security;

/// <summary>
/// The Content-Security-Policy each response carries. Our pages load scripts and styles only from files of this site
/// (no inline script, no inline style, no eval); recordings play from <c>blob:</c> URLs, images may be <c>data:</c>, and the
/// video room's WebSocket is same-origin (<c>'self'</c> covers ws: and wss: of this host in CSP 3). No page may be framed.
/// Violations are reported to <see cref="CspReportApi.Path"/>.
/// </summary>
public static class ContentSecurityPolicy
{
    /// <summary>For our own pages and every API response.</summary>
    public const string Strict =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri " + CspReportApi.Path;

    /// <summary>
    /// For the two third-party pages that write inline script and style (the API reference at /docs, the jobs dashboard at
    /// /hangfire): still nothing from other sites and no framing. They show no customer data to a visitor who is not signed in.
    /// </summary>
    public const string ThirdPartyPages =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; report-uri " + CspReportApi.Path;

    private static readonly string[] ThirdPartyPrefixes = ["/docs", Jobs.JobsSetup.DashboardPath];

    public static string For(PathString path) =>
        ThirdPartyPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) ? ThirdPartyPages : Strict;
}
