using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Shouldly;
using VirtualBranch.Host.Media.Network;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// <c>GET /api/media/config</c> with STUN and TURN configured: each caller gets TURN credentials of its own by the TURN
/// REST API scheme; the options are checked before the Host starts.
/// </summary>
public sealed class MediaConfigTests(MediaConfigTests.TurnConfiguredHost host) : IClassFixture<MediaConfigTests.TurnConfiguredHost>
{
    private const string Secret = "a-secret-only-this-test-knows";

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static TurnSecret SecretOf(string value) => TurnSecret.Load(Configuration((TurnSecret.Key, value)), Path.GetTempPath());

    [Fact]
    public void a_credential_is_the_expiry_and_subject_signed_with_hmac_sha1_of_the_shared_secret()
    {
        // Computed apart from this code: printf %s '1796301707:tester' | openssl dgst -sha1 -hmac abc123 -binary | base64
        var issued = TurnCredentials.Issue(SecretOf("abc123"), "tester", DateTimeOffset.FromUnixTimeSeconds(1796301707 - 600));
        issued.Username.ShouldBe("1796301707:tester");
        issued.Password.ShouldBe("bJoI6Qaqn8TrCru9dY2R1Bea5Hs=");
        issued.ExpiresAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1796301707), "ten minutes after it was issued");
    }

    [Fact]
    public void a_subject_with_a_colon_does_not_add_a_field_to_the_username()
    {
        var issued = TurnCredentials.Issue(SecretOf("abc123"), "customer:0123abcd", DateTimeOffset.FromUnixTimeSeconds(1_000_000_000));
        issued.Username.ShouldBe("1000000600:customer-0123abcd");
    }

    [Fact]
    public void the_secret_is_generated_once_into_the_data_directory_readable_by_the_owner_only_and_never_shown()
    {
        var data = Directory.CreateTempSubdirectory("vb-turn-secret-").FullName;
        try
        {
            var first = TurnSecret.Load(Configuration(), data);
            var second = TurnSecret.Load(Configuration(), data);
            first.Value.ShouldMatch("^[0-9a-f]{64}$");
            second.Value.ShouldBe(first.Value);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(Path.Combine(data, TurnSecret.FileName)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            $"{first}".ShouldNotContain(first.Value);
            TurnSecret.Load(Configuration((TurnSecret.Key, "configured")), data).Value.ShouldBe("configured", "Media:TurnSecret wins over the file");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void without_ice_servers_candidates_stay_on_loopback_and_any_candidate_may_be_used()
    {
        var (ice, problems) = IceOptions.Read(Configuration());
        problems.ShouldBeEmpty();
        ice.Servers.ShouldBeEmpty();
        ice.TransportPolicy.ShouldBe("all");
        ice.LoopbackOnly.ShouldBeTrue();
        IceOptions.Read(Configuration(("Media:IceServers", "stun:192.0.2.1"))).Options.LoopbackOnly.ShouldBeFalse("ICE servers are for real networks");
        IceOptions.Read(Configuration(("Media:IceServers", "stun:192.0.2.1"), ("Media:LoopbackOnly", "true"))).Options.LoopbackOnly.ShouldBeTrue("an explicit setting wins");
    }

    [Theory]
    [InlineData("Media:IceServers", "http://turn.example.com", "Media:IceServers holds 'http://turn.example.com', which is not a stun:, turn: or turns: URL")]
    [InlineData("Media:IceServers", "turn:", "Media:IceServers holds 'turn:'")]
    [InlineData("Media:IceServers", "stun:stun.example.com:3478?transport=tcp", "Media:IceServers holds 'stun:stun.example.com:3478?transport=tcp'")]
    [InlineData("Media:IceServers", "turn:turn.example.com:70000", "Media:IceServers holds 'turn:turn.example.com:70000'")]
    [InlineData("Media:IceTransportPolicy", "public", "Media:IceTransportPolicy is 'public'; it must be all (any candidate) or relay (only through a TURN server).")]
    [InlineData("Media:IceTransportPolicy", "relay", "Media:IceTransportPolicy is relay, but Media:IceServers names no turn: or turns: server")]
    [InlineData("Media:LoopbackOnly", "yes", "Media:LoopbackOnly is 'yes'; it must be true or false.")]
    public void a_wrong_setting_is_a_problem_naming_its_key(string key, string value, string problem)
    {
        var (_, problems) = IceOptions.Read(Configuration((key, value)));
        problems.ShouldHaveSingleItem().ShouldStartWith(problem);
    }

    [Theory]
    [InlineData("stun:stun.example.com")]
    [InlineData("stun:192.0.2.1:3478")]
    [InlineData("turn:[2001:db8::1]:3478?transport=udp")]
    [InlineData("turns:turn.example.com:5349?transport=tcp")]
    public void stun_turn_and_turns_urls_are_accepted(string url) => IceOptions.IsIceUrl(url).ShouldBeTrue();

    [Fact]
    public async Task a_teller_gets_the_stun_servers_as_configured_and_turn_credentials_issued_to_them()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var config = await (await host.ClientFor("teller")).GetFromJsonAsync<JsonElement>("/api/media/config", TestContext.Current.CancellationToken);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        config.GetProperty("loopbackOnly").GetBoolean().ShouldBeFalse();
        config.GetProperty("iceTransportPolicy").GetString().ShouldBe("relay");
        config.GetProperty("credentialSeconds").GetInt32().ShouldBe(600);
        var servers = config.GetProperty("iceServers").EnumerateArray().ToList();
        servers.Count.ShouldBe(2);
        servers[0].GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ShouldBe(["stun:stun.example.com:3478"]);
        servers[0].TryGetProperty("username", out _).ShouldBeFalse("STUN needs no credentials");
        servers[1].GetProperty("urls").EnumerateArray().Select(u => u.GetString()).ShouldBe(["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349?transport=tcp"]);
        var username = servers[1].GetProperty("username").GetString()!;
        var parts = username.Split(':');
        parts[1].ShouldBe("teller");
        long.Parse(parts[0], CultureInfo.InvariantCulture).ShouldBeInRange(before + 600, after + 600, "the credential expires ten minutes after it was issued");
        servers[1].GetProperty("credential").GetString().ShouldBe(HmacSha1Base64(Secret, username));
    }

    [Fact]
    public async Task the_customer_gets_credentials_of_their_own_and_those_outside_a_call_get_none()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        (await teller.PostAsync($"/api/cases/{opened.Id()}/customer-link", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var customer = await new CustomerPhone(host).OpenLinkAsync(opened.Id());
        var config = await customer.GetFromJsonAsync<JsonElement>("/api/media/config", TestContext.Current.CancellationToken);
        var turn = config.GetProperty("iceServers")[1];
        turn.GetProperty("username").GetString()!.ShouldEndWith($":customer-{opened.Id():N}");
        turn.GetProperty("credential").GetString().ShouldBe(HmacSha1Base64(Secret, turn.GetProperty("username").GetString()!));

        var anonymous = await host.CreateClient().GetAsync("/api/media/config", TestContext.Current.CancellationToken);
        (await anonymous.Problem(HttpStatusCode.Unauthorized)).GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        foreach (var user in new[] { "analyst", "regulator", "corebanking" })
        {
            var refused = await (await host.ClientFor(user)).GetAsync("/api/media/config", TestContext.Current.CancellationToken);
            (await refused.Problem(HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("tellers, supervisors, customers and the people they invite");
        }
    }

    private static string HmacSha1Base64(string secret, string username)
    {
#pragma warning disable CA5350 // the TURN REST API's algorithm
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(username)));
    }

    /// <summary>The Host with a STUN server and two TURN URLs configured, the relay-only policy and a known secret.</summary>
    public sealed class TurnConfiguredHost : HostFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Media:IceServers:0"] = "stun:stun.example.com:3478",
            ["Media:IceServers:1"] = "turn:turn.example.com:3478?transport=udp",
            ["Media:IceServers:2"] = "turns:turn.example.com:5349?transport=tcp",
            ["Media:IceTransportPolicy"] = "relay",
            ["Media:TurnSecret"] = Secret,
        };
    }
}
