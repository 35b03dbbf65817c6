using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Shouldly;

namespace VirtualBranch.Tests.Support;

/// <summary>Signing in as a page and as an API client does, keeping the cookie and the tokens in hand to replay them.</summary>
public static class SignIns
{
    /// <summary>The in-memory test server's own origin, as a browser on its pages would send it.</summary>
    public const string OwnOrigin = "http://localhost";

    public const string ForeignOrigin = "https://attacker.example";

    /// <summary>The session cookie (<c>vb.session=...</c>) of a page sign-in.</summary>
    public static async Task<string> SessionCookie(this HostFixture host, string user, string password)
    {
        var response = await host.WithoutCookieJar().PostAsJsonAsync("/api/auth/session", new { username = user, password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    /// <summary>A client that sends exactly the given cookie on every request, whatever the server answers.</summary>
    public static HttpClient WithCookie(this HostFixture host, string cookie)
    {
        var client = host.WithoutCookieJar();
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>The token response of <c>POST /api/auth/token</c>.</summary>
    public static async Task<JsonElement> Tokens(this HostFixture host, string user, string password)
    {
        var response = await host.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = user, password });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static HttpClient WithBearer(this HostFixture host, JsonElement tokens)
    {
        var client = host.WithoutCookieJar();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>The session id: the part of the refresh token before the dot.</summary>
    public static string SessionIdOf(JsonElement tokens) => tokens.GetProperty("refreshToken").GetString()!.Split('.')[0];

    public static Task<HttpResponseMessage> Refresh(this HostFixture host, JsonElement tokens) =>
        host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });

    /// <summary>A POST as a page on <paramref name="origin"/> sends it (no Origin header when null).</summary>
    public static Task<HttpResponseMessage> PostFrom(this HttpClient client, string? origin, string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return client.SendAsync(request);
    }

    private static HttpClient WithoutCookieJar(this HostFixture host) =>
        host.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
}
