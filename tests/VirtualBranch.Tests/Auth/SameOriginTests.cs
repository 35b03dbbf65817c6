using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Auth;

/// <summary>
/// Another site making a signed-in browser write (cross-site request forgery) or sign in: the Host gets the session cookie
/// with the attacker's Origin, or with no Origin at all, and must change nothing.
/// </summary>
public sealed class SameOriginTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Request = new { definitionId = "service-request", data = new { customerName = "张三", amount = 10 } };

    private Task<long> Streams() => host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");

    private Task<long> VersionOf(Guid caseId) => host.Database.ScalarAsync<long>($"select version from vb.mt_streams where id = '{caseId}'");

    [Fact]
    public async Task a_cookie_write_from_another_site_is_refused_with_the_reason_and_changes_nothing()
    {
        var page = host.WithCookie(await host.SessionCookie("supervisor", host.PasswordOf("supervisor")));
        var opened = await (await host.ClientFor("supervisor")).OpenCase("service-request", new { customerName = "李四", amount = 10 });
        var streams = await Streams();
        var version = await VersionOf(opened.Id());

        var foreign = await (await page.PostFrom(SignIns.ForeignOrigin, "/api/cases", Request)).Problem(HttpStatusCode.Forbidden);
        foreign.GetProperty("title").GetString().ShouldBe("Cross-site request refused");
        foreign.GetProperty("detail").GetString()!.ShouldContain(SignIns.ForeignOrigin);
        await (await page.PostFrom(SignIns.ForeignOrigin, $"/api/cases/{opened.Id()}/cancel", new { reason = "forged" })).Problem(HttpStatusCode.Forbidden);
        await (await page.PostFrom("null", $"/api/cases/{opened.Id()}/cancel", new { reason = "forged" })).Problem(HttpStatusCode.Forbidden);
        await (await page.PostFrom("http://localhost:8080", "/api/cases", Request)).Problem(HttpStatusCode.Forbidden);
        var silent = await (await page.PostFrom(null, "/api/cases", Request)).Problem(HttpStatusCode.Forbidden);
        silent.GetProperty("detail").GetString()!.ShouldContain("it has neither");
        var crossSite = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{opened.Id()}/cancel") { Content = JsonContent.Create(new { reason = "forged" }) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        await (await page.SendAsync(crossSite, TestContext.Current.CancellationToken)).Problem(HttpStatusCode.Forbidden);
        await (await page.PostFrom(SignIns.ForeignOrigin, "/api/auth/session/end")).Problem(HttpStatusCode.Forbidden);

        (await Streams()).ShouldBe(streams, "no case was opened");
        (await VersionOf(opened.Id())).ShouldBe(version, "the case's stream is unchanged");
        (await page.GetAsync("/api/cases", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "the forged sign-out ended nothing");
    }

    [Fact]
    public async Task a_cookie_write_from_the_sites_own_page_goes_through()
    {
        var page = host.WithCookie(await host.SessionCookie("teller", host.PasswordOf("teller")));
        var streams = await Streams();

        (await page.PostFrom(SignIns.OwnOrigin, "/api/cases", Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var fetched = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(Request) };
        fetched.Headers.Add("Sec-Fetch-Site", "same-origin");
        (await page.SendAsync(fetched, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await Streams()).ShouldBe(streams + 2);
    }

    [Fact]
    public async Task a_bearer_token_is_not_sent_by_the_browser_on_its_own_so_its_writes_need_no_origin()
    {
        var api = await host.ClientFor("teller2");
        (await api.PostFrom(SignIns.ForeignOrigin, "/api/cases", Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await api.PostFrom(null, "/api/cases", Request)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task another_site_cannot_sign_a_browser_in()
    {
        var forged = await host.CreateClient().PostFrom(SignIns.ForeignOrigin, "/api/auth/session", new { username = "teller", password = host.PasswordOf("teller") });
        (await forged.Problem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("sign-in");
        forged.Headers.Contains("Set-Cookie").ShouldBeFalse();

        var own = await host.CreateClient().PostFrom(SignIns.OwnOrigin, "/api/auth/session", new { username = "teller", password = host.PasswordOf("teller") });
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("user").GetString().ShouldBe("teller");
    }
}
