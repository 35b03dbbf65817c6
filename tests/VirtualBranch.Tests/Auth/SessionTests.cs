using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Shouldly;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Auth.Sessions;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Auth;

/// <summary>
/// Sessions as someone holding a copied cookie or token would try them: a signed-out cookie or token replayed, a refresh
/// token used twice or guessed.
/// </summary>
public sealed class SessionTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_signed_out_cookie_replayed_gets_401()
    {
        var cookie = await host.SessionCookie("teller", host.PasswordOf("teller"));
        var page = host.WithCookie(cookie);
        (await page.GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var end = await page.PostFrom(SignIns.OwnOrigin, "/api/auth/session/end");
        end.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        end.Headers.GetValues("Set-Cookie").Single().ShouldStartWith($"{AuthSetup.CookieName}=;");

        await (await host.WithCookie(cookie).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.WithCookie(cookie).PostFrom(SignIns.OwnOrigin, "/api/cases", new { definitionId = "service-request", data = new { customerName = "张三", amount = 1 } }))
            .Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_signed_out_bearer_token_and_its_refresh_token_get_401()
    {
        var tokens = await host.Tokens("supervisor", host.PasswordOf("supervisor"));
        var api = host.WithBearer(tokens);
        (await api.GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await api.PostFrom(null, "/api/auth/session/end")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await (await host.WithBearer(tokens).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.Refresh(tokens)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task an_access_token_lives_fifteen_minutes_names_its_session_and_the_refresh_token_lasts_the_session()
    {
        var before = DateTimeOffset.UtcNow;
        var tokens = await host.Tokens("analyst", host.PasswordOf("analyst"));
        var access = new JsonWebToken(tokens.GetProperty("accessToken").GetString());
        (access.ValidTo - access.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));
        tokens.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(new DateTimeOffset(access.ValidTo, TimeSpan.Zero), TimeSpan.FromSeconds(1));
        tokens.GetProperty("tokenType").GetString().ShouldBe("Bearer");
        tokens.GetProperty("role").GetString().ShouldBe("analyst");

        var sid = access.GetClaim(SessionStore.IdClaim).Value;
        Convert.FromBase64String(sid.Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32, "a session id is 256 random bits");
        var refreshToken = tokens.GetProperty("refreshToken").GetString()!;
        refreshToken.ShouldStartWith(sid + ".");
        var refreshEnd = tokens.GetProperty("refreshExpiresAt").GetDateTimeOffset();
        refreshEnd.ShouldBeInRange(before + SessionStore.Lifetime, DateTimeOffset.UtcNow + SessionStore.Lifetime);

        await using var documents = host.Store.QuerySession();
        var stored = (await documents.LoadAsync<AuthSession>(sid, Cancellation)).ShouldNotBeNull();
        stored.ExpiresAt.ShouldBe(refreshEnd, TimeSpan.FromMilliseconds(1));
        stored.RefreshHash.ShouldNotBeNull().ShouldNotContain(refreshToken.Split('.')[1], Case.Sensitive, "only the secret's hash is stored");
    }

    [Fact]
    public async Task refresh_rotates_both_tokens_and_the_old_refresh_token_presented_again_ends_the_session()
    {
        var first = await host.Tokens("regulator", host.PasswordOf("regulator"));
        var refreshed = await host.Refresh(first);
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK, await refreshed.Content.ReadAsStringAsync(Cancellation));
        var second = await refreshed.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        second.GetProperty("refreshToken").GetString().ShouldNotBe(first.GetProperty("refreshToken").GetString());
        second.GetProperty("refreshExpiresAt").GetDateTimeOffset().ShouldBe(first.GetProperty("refreshExpiresAt").GetDateTimeOffset(), "a refresh does not extend the session");
        (await host.WithBearer(second).GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var replayed = await (await host.Refresh(first)).Problem(HttpStatusCode.Unauthorized);
        replayed.GetProperty("detail").GetString()!.ShouldContain("session is ended");

        await (await host.WithBearer(second).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.WithBearer(first).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.Refresh(second)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_same_refresh_token_sent_twice_at_once_buys_one_token_and_ends_the_session()
    {
        var tokens = await host.Tokens("supervisor2", host.PasswordOf("supervisor2"));
        var answers = await Task.WhenAll(host.Refresh(tokens), host.Refresh(tokens));
        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.OK, HttpStatusCode.Unauthorized], ignoreOrder: true);
        var winner = await answers.Single(a => a.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        await (await host.WithBearer(winner).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.Refresh(winner)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_stale_save_of_a_session_is_refused_so_two_refreshes_cannot_both_rotate()
    {
        var sid = SignIns.SessionIdOf(await host.Tokens("corebanking", host.PasswordOf("corebanking")));
        await using var first = host.Store.LightweightSession();
        await using var second = host.Store.LightweightSession();
        var one = (await first.LoadAsync<AuthSession>(sid, Cancellation))!;
        var other = (await second.LoadAsync<AuthSession>(sid, Cancellation))!;
        first.Store(one with { RefreshHash = "a" });
        await first.SaveChangesAsync(Cancellation);
        second.Store(other with { RefreshHash = "b" });
        await Should.ThrowAsync<JasperFx.ConcurrencyException>(() => second.SaveChangesAsync(Cancellation));
    }

    [Fact]
    public async Task a_guessed_refresh_secret_is_refused_and_leaves_the_session_working()
    {
        var tokens = await host.Tokens("teller2", host.PasswordOf("teller2"));
        var guess = $"{SignIns.SessionIdOf(tokens)}.{new string('A', 43)}";
        var refused = await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = guess }, Cancellation);
        (await refused.Problem(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().ShouldBe("The refresh token is not valid.");
        await (await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "no-dot" }, Cancellation)).Problem(HttpStatusCode.Unauthorized);
        (await (await host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { }, Cancellation)).Problem(HttpStatusCode.BadRequest))
            .GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/refreshToken");

        (await host.WithBearer(tokens).GetAsync("/api/definitions", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.Refresh(tokens)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
