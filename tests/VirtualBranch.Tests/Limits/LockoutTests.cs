using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Limits;

/// <summary>
/// Wrong passwords in a row lock an account, recorded in PostgreSQL: the right password is refused too until the lock runs
/// out (moved by the Host's clock, never waited for), on every Host; a right password resets the count. Each test uses an
/// account of its own.
/// </summary>
public sealed class LockoutTests(LockoutTests.LockoutFixture host) : IClassFixture<LockoutTests.LockoutFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> SignIn(string user, string password, string path = "/api/auth/token") =>
        host.CreateClient().PostAsJsonAsync(path, new { username = user, password }, Cancellation);

    private static async Task<JsonElement> ShouldBeLocked(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.Locked, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        response.Headers.Contains("Retry-After").ShouldBeTrue();
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("title").GetString().ShouldBe("Account locked");
        return problem;
    }

    private async Task FailTimes(string user, int times)
    {
        for (var n = 0; n < times; n++)
        {
            (await SignIn(user, "not-the-password")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task three_wrong_passwords_lock_the_account_and_the_right_one_is_refused_alike_until_the_lock_runs_out()
    {
        await FailTimes("teller", LockoutFixture.Failures - 1);
        var before = host.Clock.GetUtcNow();
        var locking = await ShouldBeLocked(await SignIn("teller", "not-the-password"));
        var until = locking.GetProperty("lockedUntil").GetDateTimeOffset();
        until.ShouldBeInRange(before + LockoutFixture.Duration, host.Clock.GetUtcNow() + LockoutFixture.Duration);

        var right = await ShouldBeLocked(await SignIn("teller", host.PasswordOf("teller")));
        var wrong = await ShouldBeLocked(await SignIn("teller", "still-wrong", "/api/auth/session"));
        right.GetProperty("detail").GetString().ShouldBe(wrong.GetProperty("detail").GetString(), "the answer does not tell a right password from a wrong one");
        right.GetProperty("lockedUntil").GetDateTimeOffset().ShouldBe(until, "a refused attempt while locked does not lengthen the lock");
        right.GetProperty("detail").GetString()!.ShouldContain(until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
        (await SignIn("teller2", host.PasswordOf("teller2"))).StatusCode.ShouldBe(HttpStatusCode.OK, "another account is not locked");

        host.Clock.Advance(LockoutFixture.Duration + TimeSpan.FromSeconds(1));
        (await SignIn("teller", host.PasswordOf("teller"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await FailTimes("teller", LockoutFixture.Failures - 1);
    }

    [Fact]
    public async Task a_right_password_starts_the_count_again()
    {
        await FailTimes("supervisor2", LockoutFixture.Failures - 1);
        (await SignIn("supervisor2", host.PasswordOf("supervisor2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await FailTimes("supervisor2", LockoutFixture.Failures - 1);
        (await SignIn("supervisor2", host.PasswordOf("supervisor2"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_lock_holds_on_another_host_of_the_same_database()
    {
        await FailTimes("regulator", LockoutFixture.Failures - 1);
        await ShouldBeLocked(await SignIn("regulator", "not-the-password"));
        var another = host.StartAnotherHost().CreateClient();
        await ShouldBeLocked(await another.PostAsJsonAsync("/api/auth/token", new { username = "regulator", password = host.PasswordOf("regulator") }, Cancellation));
    }

    [Fact]
    public async Task a_name_that_is_no_account_locks_the_same_way_so_a_lock_tells_no_one_which_names_exist()
    {
        await FailTimes("nobody", LockoutFixture.Failures - 1);
        await ShouldBeLocked(await SignIn("nobody", "not-the-password"));
    }

    [Fact]
    public async Task wrong_passwords_racing_each_count()
    {
        var racing = await Task.WhenAll(Enumerable.Range(0, LockoutFixture.Failures).Select(_ => SignIn("corebanking", "not-the-password")));
        racing.Select(r => r.StatusCode).ShouldContain(HttpStatusCode.Locked, "the last of them to count locks the account");
        await ShouldBeLocked(await SignIn("corebanking", host.PasswordOf("corebanking")));
    }

    [Fact]
    public async Task a_supervisor_unlocks_an_account_early_and_a_teller_may_not()
    {
        await FailTimes("analyst", LockoutFixture.Failures - 1);
        await ShouldBeLocked(await SignIn("analyst", "not-the-password"));
        var teller = await host.ClientFor("teller2");
        (await teller.DeleteAsync("/api/auth/lockouts/analyst", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await ShouldBeLocked(await SignIn("analyst", host.PasswordOf("analyst")));

        var supervisor = await host.ClientFor("supervisor");
        (await supervisor.DeleteAsync("/api/auth/lockouts/analyst", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await SignIn("analyst", host.PasswordOf("analyst"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supervisor.DeleteAsync("/api/auth/lockouts/analyst", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>Three wrong passwords lock for ten minutes, on a clock the test moves.</summary>
    public sealed class LockoutFixture : HostFixture
    {
        public const int Failures = 3;
        public static readonly TimeSpan Duration = TimeSpan.FromMinutes(10);

        public ShiftedClock Clock { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Limits:Lockout:Failures"] = $"{Failures}",
            ["Limits:Lockout:Duration"] = "00:10:00",
        };

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }
}
