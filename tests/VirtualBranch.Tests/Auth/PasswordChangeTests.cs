using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Auth;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Auth;

/// <summary>
/// A password change while other sessions of the account are open (perhaps someone else's, with the old password), and
/// the ways a change is refused. The accounts are this class's own, so no other test's password changes.
/// </summary>
public sealed class PasswordChangeTests(PasswordChangeTests.ChangerFixture host) : IClassFixture<PasswordChangeTests.ChangerFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_password_change_ends_every_session_refuses_the_old_password_and_takes_the_new_one()
    {
        const string user = ChangerFixture.Changer;
        var cookie = await host.SessionCookie(user, ChangerFixture.Password);
        var tokens = await host.Tokens(user, ChangerFixture.Password);
        var caller = await host.Tokens(user, ChangerFixture.Password);
        (await host.WithCookie(cookie).GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.WithBearer(tokens).GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);

        const string changed = "a much longer passphrase";
        var change = await host.WithBearer(caller).PostFrom(null, "/api/auth/password", new { currentPassword = ChangerFixture.Password, newPassword = changed });
        change.StatusCode.ShouldBe(HttpStatusCode.NoContent, await change.Content.ReadAsStringAsync(Cancellation));

        await (await host.WithCookie(cookie).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.WithBearer(tokens).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.WithBearer(caller).GetAsync("/api/cases", Cancellation)).Problem(HttpStatusCode.Unauthorized);
        await (await host.Refresh(tokens)).Problem(HttpStatusCode.Unauthorized);
        var old = await host.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = user, password = ChangerFixture.Password }, Cancellation);
        await old.Problem(HttpStatusCode.Unauthorized);

        var fresh = await host.Tokens(user, changed);
        (await host.WithBearer(fresh).GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.WithCookie(await host.SessionCookie(user, changed)).GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_refused_password_change_says_which_field_is_wrong_and_ends_nothing()
    {
        const string user = ChangerFixture.Keeper;
        var tokens = await host.Tokens(user, ChangerFixture.Password);
        var api = host.WithBearer(tokens);
        async Task<JsonElement> Refused(object body, HttpStatusCode status) =>
            await (await api.PostFrom(null, "/api/auth/password", body)).Problem(status);
        static string[] Paths(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!)];

        Paths(await Refused(new { }, HttpStatusCode.BadRequest)).ShouldBe(["/currentPassword", "/newPassword"]);
        var tooShort = await Refused(new { currentPassword = ChangerFixture.Password, newPassword = "elevenchars" }, HttpStatusCode.BadRequest);
        tooShort.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldContain("At least 12 characters");
        var same = await Refused(new { currentPassword = ChangerFixture.Password, newPassword = ChangerFixture.Password }, HttpStatusCode.BadRequest);
        same.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldContain("differ from the current");
        var wrong = await Refused(new { currentPassword = "not the password", newPassword = "a much longer passphrase" }, HttpStatusCode.Unauthorized);
        wrong.GetProperty("detail").GetString().ShouldBe("The current password is wrong.");
        await (await host.CreateClient().PostAsJsonAsync("/api/auth/password", new { currentPassword = "x", newPassword = "a much longer passphrase" }, Cancellation))
            .Problem(HttpStatusCode.Unauthorized);

        (await api.GetAsync("/api/cases", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.Tokens(user, ChangerFixture.Password)).GetProperty("role").GetString().ShouldBe("teller");
    }

    [Fact]
    public async Task a_customer_token_has_no_password_to_change()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        var customer = await ScenarioDriver.CustomerAsync(host, teller, opened.Id());
        var refused = await (await customer.PostFrom(null, "/api/auth/password", new { currentPassword = "anything", newPassword = "a much longer passphrase" }))
            .Problem(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString()!.ShouldContain("Only a local account");
    }

    /// <summary>The Host with two extra local accounts of known passwords that only these tests use.</summary>
    public sealed class ChangerFixture : HostFixture
    {
        public const string Changer = "pat";
        public const string Keeper = "lee";
        public const string Password = "correct horse battery";

        private static readonly string Hash = PasswordHasher.Hash(Password);

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Accounts:100:User"] = Changer,
            ["Accounts:100:Role"] = "teller",
            ["Accounts:100:PasswordHash"] = Hash,
            ["Accounts:101:User"] = Keeper,
            ["Accounts:101:Role"] = "teller",
            ["Accounts:101:PasswordHash"] = Hash,
        };
    }
}
