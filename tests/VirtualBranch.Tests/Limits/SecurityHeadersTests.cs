using System.Net;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Limits;

/// <summary>Every response, page or API, success or error, carries the security headers; HSTS only over HTTPS.</summary>
public sealed class SecurityHeadersTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : "";

    /// <summary>The CSP's directives by name.</summary>
    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Contains(' ') ? d[(d.IndexOf(' ') + 1)..] : "");

    private static void ShouldCarryTheHeaders(HttpResponseMessage response)
    {
        var csp = Directives(response);
        csp["script-src"].ShouldBe("'self'", "no inline script, no eval, nothing from other sites");
        csp["style-src"].ShouldBe("'self'");
        csp["frame-ancestors"].ShouldBe("'none'");
        csp["object-src"].ShouldBe("'none'");
        csp["media-src"].ShouldContain("blob:", Case.Sensitive, "the regulator page plays recordings from blob: URLs");
        csp["img-src"].ShouldContain("data:");
        csp["report-uri"].ShouldBe("/api/csp-reports");
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("same-origin");
        Header(response, "Strict-Transport-Security").ShouldBeEmpty("plain HTTP gets no HSTS");
    }

    [Fact]
    public async Task the_teller_and_customer_pages_may_use_the_camera_and_the_regulator_page_may_not()
    {
        var client = host.CreateClient();
        foreach (var page in new[] { "/teller/", "/customer/" })
        {
            var response = await client.GetAsync(page, Cancellation);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            ShouldCarryTheHeaders(response);
            Header(response, "Permissions-Policy").ShouldContain("camera=(self), microphone=(self)");
        }
        var regulator = await client.GetAsync("/regulator/", Cancellation);
        ShouldCarryTheHeaders(regulator);
        Header(regulator, "Permissions-Policy").ShouldContain("camera=(), microphone=()");
        ShouldCarryTheHeaders(await client.GetAsync("/shared/api.js", Cancellation));
    }

    [Fact]
    public async Task api_answers_and_errors_carry_the_headers_too()
    {
        var client = await host.ClientFor("teller");
        var ok = await client.GetAsync("/api/cases", Cancellation);
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldCarryTheHeaders(ok);
        var unauthorized = await host.CreateClient().GetAsync("/api/cases", Cancellation);
        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        ShouldCarryTheHeaders(unauthorized);
        var notFound = await client.GetAsync("/api/no-such-thing", Cancellation);
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ShouldCarryTheHeaders(notFound);
    }

    [Fact]
    public async Task a_request_that_came_over_https_gets_hsts()
    {
        var server = host.Factory.Server;
        using var client = new HttpClient(server.CreateHandler(http => http.Request.Scheme = "https")) { BaseAddress = server.BaseAddress };
        var response = await client.GetAsync("/teller/", Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Header(response, "Strict-Transport-Security").ShouldBe("max-age=31536000");
    }
}
