using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Auth;

/// <summary>
/// Behind a TLS-terminating proxy the Host sees plain HTTP: the session cookie is <c>Secure</c> when a proxy it trusts
/// says the client came over HTTPS, and only then.
/// </summary>
public sealed class SecureCookieTests(SecureCookieTests.ProxyFixture host) : IClassFixture<SecureCookieTests.ProxyFixture>
{
    /// <summary>The Set-Cookie of a page sign-in arriving from <paramref name="from"/>, with or without X-Forwarded-Proto: https.</summary>
    private async Task<string> SignInCookie(IPAddress from, bool forwardedHttps)
    {
        var server = host.Factory.Server;
        using var client = new HttpClient(server.CreateHandler(http => http.Connection.RemoteIpAddress = from)) { BaseAddress = server.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/session")
        {
            Content = JsonContent.Create(new { username = "teller", password = host.PasswordOf("teller") }),
        };
        if (forwardedHttps)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "198.51.100.4");
        }
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return response.Headers.GetValues("Set-Cookie").Single();
    }

    /// <summary>Whether a Set-Cookie header has the Secure attribute (and not merely those letters in its value).</summary>
    public static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Skip(1).Any(a => a.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task https_forwarded_by_a_loopback_proxy_makes_the_cookie_secure()
    {
        IsSecure(await SignInCookie(IPAddress.Loopback, forwardedHttps: true)).ShouldBeTrue();
        IsSecure(await SignInCookie(IPAddress.IPv6Loopback, forwardedHttps: true)).ShouldBeTrue();
    }

    [Fact]
    public async Task plain_http_from_a_proxy_gives_a_cookie_without_secure()
    {
        IsSecure(await SignInCookie(IPAddress.Loopback, forwardedHttps: false)).ShouldBeFalse();
    }

    [Fact]
    public async Task a_configured_proxy_is_believed_and_any_other_address_is_not()
    {
        IsSecure(await SignInCookie(IPAddress.Parse(ProxyFixture.Proxy), forwardedHttps: true)).ShouldBeTrue();
        IsSecure(await SignInCookie(IPAddress.Parse("203.0.113.7"), forwardedHttps: true)).ShouldBeFalse();
    }

    [Fact]
    public void a_known_proxy_that_is_not_an_address_stops_the_start_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ForwardedHeadersSetup.KnownProxiesKey}:0"] = "10.0.0.5",
            [$"{ForwardedHeadersSetup.KnownProxiesKey}:1"] = "proxy.internal",
        }).Build();
        Should.Throw<ConfigurationProblemException>(() => ForwardedHeadersSetup.KnownProxies(configuration))
            .Message.ShouldBe($"{ForwardedHeadersSetup.KnownProxiesKey} holds 'proxy.internal', which is not an IP address (a proxy is named by its address, e.g. 10.0.0.5).");
        var commaSeparated = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ForwardedHeadersSetup.KnownProxiesKey] = "10.0.0.5, 10.0.0.6",
        }).Build();
        ForwardedHeadersSetup.KnownProxies(commaSeparated).Select(a => a.ToString()).ShouldBe(["10.0.0.5", "10.0.0.6"]);
    }

    /// <summary>The Host with one proxy address configured besides loopback.</summary>
    public sealed class ProxyFixture : HostFixture
    {
        public const string Proxy = "192.0.2.10";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            [$"{ForwardedHeadersSetup.KnownProxiesKey}:0"] = Proxy,
        };
    }
}

/// <summary><c>Auth:SecureCookies=true</c> marks the session cookie <c>Secure</c> even on a plain HTTP request.</summary>
public sealed class ForcedSecureCookieTests(ForcedSecureCookieTests.SecureFixture host) : IClassFixture<ForcedSecureCookieTests.SecureFixture>
{
    [Fact]
    public async Task the_cookie_is_secure_on_plain_http()
    {
        var response = await host.CreateClient().PostAsJsonAsync("/api/auth/session", new { username = "teller", password = host.PasswordOf("teller") },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        SecureCookieTests.IsSecure(response.Headers.GetValues("Set-Cookie").Single()).ShouldBeTrue();
    }

    public sealed class SecureFixture : HostFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:SecureCookies"] = "true" };
    }
}
