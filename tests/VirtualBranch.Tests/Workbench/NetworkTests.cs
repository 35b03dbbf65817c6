using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// A call that may only go through TURN (<c>Media:IceTransportPolicy=relay</c>): the teller's page and the customer's page,
/// in two browser contexts, connect through the test's own coturn with credentials the Host issued to each of them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NetworkTests(NetworkTests.RelayHostFixture host, BrowserFixture browser) : IClassFixture<NetworkTests.RelayHostFixture>
{
    /// <summary>The selected candidate pair of a page's peer connection, read from <c>getStats()</c>, and every local candidate's type.</summary>
    private const string SelectedPair = """
        async (pc) => {
          if (!pc) return "no peer connection";
          const stats = [...(await pc.getStats()).values()];
          const byId = (id) => stats.find((s) => s.id === id);
          const transport = stats.find((s) => s.type === "transport" && s.selectedCandidatePairId);
          const pair = transport ? byId(transport.selectedCandidatePairId) : stats.find((s) => s.type === "candidate-pair" && s.nominated && s.state === "succeeded");
          if (!pair) return `no selected pair (${pc.connectionState})`;
          const local = byId(pair.localCandidateId), remote = byId(pair.remoteCandidateId);
          const gathered = [...new Set(stats.filter((s) => s.type === "local-candidate").map((c) => c.candidateType))].join("+");
          return `${pair.state} nominated=${pair.nominated} local=${local.candidateType} remote=${remote.candidateType} gathered=${gathered} via=${local.url}`;
        }
        """;

    [Fact]
    public async Task with_the_relay_policy_teller_and_customer_connect_through_the_turn_server()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        var caseId = opened.Id();
        (await teller.PostAsync($"/api/cases/{caseId}/customer-link", null)).EnsureSuccessStatusCode();
        var phone = new CustomerPhone(host);

        await using var tellerContext = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString() });
        await using var customerContext = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), IsMobile = true });
        var tellerPage = await tellerContext.NewPageAsync();
        await tellerPage.GotoAsync("/teller/");
        await tellerPage.GetByLabel("用户名 / Username").FillAsync("teller");
        await tellerPage.GetByLabel("密码 / Password").FillAsync(host.PasswordOf("teller"));
        await tellerPage.GetByRole(AriaRole.Button, new() { Name = "登录 / Sign in" }).ClickAsync();
        await tellerPage.GetByRole(AriaRole.Button, new() { Name = opened.GetProperty("number").GetString() }).ClickAsync();
        await tellerPage.GetByRole(AriaRole.Button, new() { Name = "开始视频 / Start video" }).ClickAsync();

        var customerPage = await customerContext.NewPageAsync();
        await customerPage.GotoAsync(phone.Latest(caseId, "link").Url!);
        await Expect(() => Task.FromResult(phone.Messages.Count(m => m.CaseId == caseId && m.Kind == "code")), n => n > 0);
        await customerPage.GetByLabel("短信验证码").FillAsync(phone.Latest(caseId, "code").Code!);
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();

        await Expect(() => tellerPage.Locator("#video-status").TextContentAsync(), s => s == "connected");
        // The controlled side (the customer's) can see its pair succeed a moment before the controlling side's nomination
        // reaches it: wait for the pair the call settles on, succeeded and nominated, then check what it runs through.
        const string settled = "succeeded nominated=true";
        var tellerSide = await Expect(() => tellerPage.EvaluateAsync<string>($"() => ({SelectedPair})(tellerPage.room.connection)"), s => s.StartsWith(settled, StringComparison.Ordinal));
        var customerSide = await Expect(() => customerPage.EvaluateAsync<string>($"() => ({SelectedPair})(customerPage.room.connection)"), s => s.StartsWith(settled, StringComparison.Ordinal));

        var relayed = $"succeeded nominated=true local=relay remote=relay gathered=relay via=turn:127.0.0.1:{host.Turn.Port}?transport=";
        tellerSide.ShouldStartWith(relayed, Case.Sensitive, "the teller's media goes through the TURN server, and nothing but relays was gathered");
        customerSide.ShouldStartWith(relayed, Case.Sensitive, "the customer's media goes through the TURN server, and nothing but relays was gathered");
        // Each page opened its relay with the credentials the Host issued to it: the TURN server names both.
        await Expect(() => Task.FromResult(host.Turn.Log), log => Allocated(log, "teller") && Allocated(log, $"customer-{caseId:N}"));
    }

    private static bool Allocated(string turnLog, string subject) =>
        System.Text.RegularExpressions.Regex.IsMatch(turnLog, $@"user <[0-9]+:{subject}>: incoming packet ALLOCATE processed, success");

    private static Task<T> Expect<T>(Func<Task<T>> read, Func<T, bool> ok) =>
        Eventually.Until(read, ok, TimeSpan.FromSeconds(60), value => $"Not reached; the last value: {value}");

    /// <summary>The Host on a loopback port for Chromium, given the test's own TURN server and the relay-only policy.</summary>
    public sealed class RelayHostFixture : HostFixture
    {
        private TurnServer? _turn;

        public TurnServer Turn => _turn ?? throw new InvalidOperationException("The fixture is not initialised.");

        protected override bool ServesBrowsers => true;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Media:IceServers"] = Turn.Urls,
            ["Media:IceTransportPolicy"] = "relay",
            ["Media:TurnSecret"] = Turn.Secret,
        };

        public override async ValueTask InitializeAsync()
        {
            _turn = await TurnServer.StartAsync();
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (_turn is not null)
            {
                await _turn.DisposeAsync();
            }
        }
    }
}
