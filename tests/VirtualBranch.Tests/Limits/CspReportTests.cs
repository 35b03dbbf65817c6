using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Security;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Limits;

/// <summary>The CSP report endpoint takes both report formats, and refuses a body too large or not a report without recording anything.</summary>
public sealed class CspReportTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A report as <c>report-uri</c> sends it (<c>application/csp-report</c>).</summary>
    public static HttpContent LegacyReport(string page, string blocked = "inline") => Typed(
        $$$"""{"csp-report":{"document-uri":"http://127.0.0.1{{{page}}}","violated-directive":"script-src-elem","effective-directive":"script-src-elem","blocked-uri":"{{{blocked}}}","source-file":"http://127.0.0.1/shared/api.js","line-number":12}}""",
        "application/csp-report");

    private static HttpContent Typed(string body, string type)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private CspViolations Violations => host.Services.GetRequiredService<CspViolations>();

    [Fact]
    public async Task a_report_uri_report_and_a_reporting_api_report_are_both_recorded()
    {
        var client = host.CreateClient();
        (await client.PostAsync(CspReportApi.Path, LegacyReport("/regulator/", "https://evil.example/x.js"), Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var reportingApi = Typed("""[{"type":"csp-violation","url":"http://127.0.0.1/analyst/","body":{"documentURL":"http://127.0.0.1/analyst/","effectiveDirective":"style-src-attr","blockedURL":"inline","lineNumber":3}}]""",
            "application/reports+json");
        (await client.PostAsync(CspReportApi.Path, reportingApi, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        Violations.Recent.ShouldContain(v => v.DocumentUri == "http://127.0.0.1/regulator/" && v.Directive == "script-src-elem" && v.BlockedUri == "https://evil.example/x.js" && v.Line == 12);
        Violations.Recent.ShouldContain(v => v.DocumentUri == "http://127.0.0.1/analyst/" && v.Directive == "style-src-attr" && v.Line == 3);
    }

    [Fact]
    public async Task a_report_larger_than_the_limit_is_413_and_not_recorded()
    {
        var before = Violations.Count;
        var huge = LegacyReport("/teller/", new string('x', 20_000));
        var response = await host.CreateClient().PostAsync(CspReportApi.Path, huge, Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        Violations.Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_body_that_is_not_a_csp_report_is_400_and_not_recorded()
    {
        var before = Violations.Count;
        var notJson = await host.CreateClient().PostAsync(CspReportApi.Path, Typed("<html>", "application/csp-report"), Cancellation);
        notJson.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notJson.Content.ReadAsStringAsync(Cancellation)).ShouldContain("not JSON", Case.Insensitive);
        var noReport = await host.CreateClient().PostAsync(CspReportApi.Path, Typed("""{"hello":1}""", "application/csp-report"), Cancellation);
        noReport.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReport.Content.ReadAsStringAsync(Cancellation)).ShouldContain("no CSP violation");
        Violations.Count.ShouldBe(before);
    }
}
