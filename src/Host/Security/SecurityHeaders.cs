namespace VirtualBranch.Host.Security;

/// <summary>
/// Headers a browser obeys on every response, page or API, error or not: the <see cref="ContentSecurityPolicy"/>, no MIME
/// sniffing, no framing, no referrer to other sites (a customer link carries its code in the URL), camera and microphone
/// only on the pages that hold a video call, and HSTS when the request came over HTTPS.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The pages that open the camera and microphone: the teller's workbench and the customer's (and invited participant's) page.</summary>
    private static readonly string[] VideoPages = ["/teller", "/customer"];

    public const string WithCamera = "camera=(self), microphone=(self), display-capture=(), geolocation=(), payment=(), usb=(), serial=(), hid=()";
    public const string WithoutCamera = "camera=(), microphone=(), display-capture=(), geolocation=(), payment=(), usb=(), serial=(), hid=()";

    /// <summary>A year, as browsers' preload lists ask; sent only over HTTPS (RFC 6797 has browsers ignore it over HTTP anyway).</summary>
    public const string Hsts = "max-age=31536000";

    /// <summary>First in the pipeline; the headers are set as the response starts, so error pages and static files get them too.</summary>
    public static void UseSecurityHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        if (Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy.For(path); // a stored file keeps its own, stricter `sandbox`
        }
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY"; // for browsers that predate frame-ancestors
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = VideoPages.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) ? WithCamera : WithoutCamera;
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = Hsts;
        }
    }
}
