using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Limits;

/// <summary>
/// Guessing as an attacker would: passwords for one account from many addresses, many names from one address, customer
/// codes, uploads. Past its limit each gets 429 problem details with Retry-After. Each test uses addresses and accounts of
/// its own, so the counts of one never reach another.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.TightLimits host) : IClassFixture<RateLimitTests.TightLimits>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A client whose connection comes from <paramref name="address"/>, optionally naming a client in X-Forwarded-For.</summary>
    private HttpClient From(string address, string? forwardedFor = null)
    {
        var server = host.Factory.Server;
        var client = new HttpClient(server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address))) { BaseAddress = server.BaseAddress };
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        return client;
    }

    private Task<HttpResponseMessage> SignIn(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/auth/token", new { username = user, password }, Cancellation);

    /// <summary>429 as problem details, saying which limit, with a whole number of seconds in Retry-After.</summary>
    private static async Task ShouldBeTooMany(HttpResponseMessage response, string limit)
    {
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        int.Parse(response.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 3600);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(429);
        problem.GetProperty("title").GetString().ShouldBe("Too many requests");
        problem.GetProperty("detail").GetString()!.ShouldContain(limit);
        problem.GetProperty("instance").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task the_fourth_sign_in_for_one_account_is_429_from_any_address_even_with_the_right_password()
    {
        for (var n = 1; n <= TightLimits.PerAccount; n++)
        {
            (await SignIn(From($"198.51.100.{n}"), "analyst", "wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        await ShouldBeTooMany(await SignIn(From("198.51.100.9"), "analyst", host.PasswordOf("analyst")), "for one account");
        await ShouldBeTooMany(await SignIn(From("198.51.100.10"), "ANALYST", "wrong"), "for one account");
        (await SignIn(From("198.51.100.9"), "regulator", host.PasswordOf("regulator"))).StatusCode.ShouldBe(HttpStatusCode.OK, "another account is not held back");
    }

    [Fact]
    public async Task the_sixth_sign_in_from_one_address_is_429_whatever_the_name_and_the_page_sign_in_counts_too()
    {
        var attacker = From("198.51.100.20");
        for (var n = 1; n < TightLimits.PerAddress; n++)
        {
            (await SignIn(attacker, $"guess{n}", "wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await attacker.PostAsJsonAsync("/api/auth/session", new { username = "guess5", password = "wrong" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await ShouldBeTooMany(await SignIn(attacker, "supervisor", host.PasswordOf("supervisor")), "from one address");
        await ShouldBeTooMany(await attacker.PostAsJsonAsync("/api/auth/session", new { username = "supervisor", password = host.PasswordOf("supervisor") }, Cancellation),
            "from one address");
        (await SignIn(From("198.51.100.21"), "supervisor", host.PasswordOf("supervisor"))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_forwarded_client_address_counts_only_when_a_trusted_proxy_names_it()
    {
        // Loopback is a trusted proxy: each client it names has a count of its own.
        for (var n = 1; n <= TightLimits.PerAddress; n++)
        {
            (await SignIn(From("127.0.0.1", "198.51.100.30"), $"proxied{n}", "wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        await ShouldBeTooMany(await SignIn(From("127.0.0.1", "198.51.100.30"), "proxied", "wrong"), "from one address");
        (await SignIn(From("127.0.0.1", "198.51.100.31"), "proxied", "wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Any other peer's X-Forwarded-For is not believed: changing it buys no fresh count.
        for (var n = 1; n <= TightLimits.PerAddress; n++)
        {
            (await SignIn(From("203.0.113.50", $"198.51.100.{40 + n}"), $"spoofed{n}", "wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        await ShouldBeTooMany(await SignIn(From("203.0.113.50", "198.51.100.99"), "spoofed", "wrong"), "from one address");
    }

    [Fact]
    public async Task the_third_customer_link_exchange_from_one_address_is_429_for_codes_and_sessions_alike()
    {
        var phone = From("198.51.100.60");
        var caseId = Guid.NewGuid();
        (await phone.PostAsJsonAsync("/api/customer/code", new { caseId, code = "guess" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await phone.PostAsJsonAsync("/api/customer/session", new { caseId, code = "guess", otp = "123456" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await ShouldBeTooMany(await phone.PostAsJsonAsync("/api/customer/code", new { caseId, code = "guess" }, Cancellation), "customer-link and code requests");
        await ShouldBeTooMany(await phone.PostAsJsonAsync("/api/customer/session", new { caseId, code = "guess", otp = "123456" }, Cancellation),
            "customer-link and code requests");
        (await From("198.51.100.61").PostAsJsonAsync("/api/customer/code", new { caseId, code = "guess" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task the_third_upload_of_one_caller_is_429_and_another_caller_still_uploads()
    {
        var teller = await host.ClientFor("teller");
        var recording = Guid.NewGuid();
        for (var n = 0; n < TightLimits.Uploads; n++)
        {
            var chunk = await teller.PutAsync($"/api/recordings/{recording}/chunks/{n}", new ByteArrayContent([1, 2, 3]), Cancellation);
            chunk.StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        }
        var form = new MultipartFormDataContent { { new StringContent("id-card"), "kind" }, { new ByteArrayContent([1, 2, 3]), "file", "id.png" } };
        await ShouldBeTooMany(await teller.PostAsync($"/api/cases/{Guid.NewGuid()}/documents", form, Cancellation), "uploads");
        var other = await host.ClientFor("teller2");
        (await other.PutAsync($"/api/recordings/{recording}/chunks/0", new ByteArrayContent([1, 2, 3]), Cancellation)).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task the_third_csp_report_from_one_address_is_429()
    {
        var page = From("198.51.100.70");
        for (var n = 0; n < TightLimits.CspReports; n++)
        {
            (await page.PostAsync("/api/csp-reports", CspReportTests.LegacyReport("/teller/"), Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        await ShouldBeTooMany(await page.PostAsync("/api/csp-reports", CspReportTests.LegacyReport("/teller/"), Cancellation), "CSP reports");
    }

    /// <summary>Limits small enough to reach in a test, in windows long enough that none ends during one.</summary>
    public sealed class TightLimits : HostFixture
    {
        public const int PerAccount = 3;
        public const int PerAddress = 5;
        public const int Uploads = 2;
        public const int CspReports = 2;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Limits:SignInPerAccount:Permits"] = $"{PerAccount}",
            ["Limits:SignInPerAccount:Window"] = "01:00:00",
            ["Limits:SignInPerAddress:Permits"] = $"{PerAddress}",
            ["Limits:SignInPerAddress:Window"] = "01:00:00",
            ["Limits:CustomerCodesPerAddress:Permits"] = "2",
            ["Limits:CustomerCodesPerAddress:Window"] = "01:00:00",
            ["Limits:UploadsPerCaller:Permits"] = $"{Uploads}",
            ["Limits:UploadsPerCaller:Window"] = "01:00:00",
            ["Limits:CspReportsPerAddress:Permits"] = $"{CspReports}",
            ["Limits:CspReportsPerAddress:Window"] = "01:00:00",
        };
    }
}
