using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.PageSteps;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// A call is not bound to one Host process: the teller and the customer may be connected to different Hosts on one
/// database, and when the Host restarts (a deploy, a crash) under a recorded call, the pages connect to the new process by
/// themselves, find each other again, and the recording goes on in the same segment without a refusal.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CallAcrossHostsTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The customer's page at <paramref name="origin"/>, their link already opened (through the API) and its session kept in the tab as the page keeps it.</summary>
    private async Task<(IBrowserContext Context, IPage Page)> CustomerPageAsync(ScenarioDriver driver, Uri origin)
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = origin.ToString() });
        var session = JsonSerializer.Serialize(new { token = driver.Customer.Token(), @as = "customer" });
        await context.AddInitScriptAsync($"sessionStorage.setItem({JsonSerializer.Serialize($"vb.customer.{driver.CaseId}")}, {JsonSerializer.Serialize(session)});");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/customer/?case={driver.CaseId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();
        return (context, page);
    }

    private async Task<(IBrowserContext Context, IPage Page)> TellerPageAsync(ScenarioDriver driver)
    {
        var number = (await driver.Teller.GetCase(driver.CaseId)).GetProperty("number").GetString()!;
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/teller/");
        await SignInAsync(page, "teller", host.PasswordOf("teller"));
        await page.GetByRole(AriaRole.Button, new() { Name = number }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "开始视频 / Start video" }).ClickAsync();
        return (context, page);
    }

    [Fact]
    public async Task a_teller_on_one_host_process_and_a_customer_on_another_see_each_other()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        var (process, other) = await host.StartHostProcessAsync();
        try
        {
            var (customerContext, customer) = await CustomerPageAsync(driver, other);
            await using var _ = customerContext;
            var (tellerContext, teller) = await TellerPageAsync(driver);
            await using var __ = tellerContext;
            await Expect(() => teller.Locator("#video-status").TextContentAsync(), s => s == "connected");
            await Expect(() => customer.EvaluateAsync<string>("() => customerPage.room.connection ? customerPage.room.connection.connectionState : 'none'"), s => s == "connected");
            new Uri(customer.Url).Port.ShouldNotBe(new Uri(teller.Url).Port, "each page talks to its own Host");
            await Expect(() => customer.EvaluateAsync<int>("() => document.getElementById('remote').readyState"), state => state >= 2);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Cancellation);
            process.Dispose();
        }
    }

    [Fact]
    public async Task a_call_and_its_recording_carry_on_when_the_host_restarts_under_them()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        driver.UploadsRecording = false; // the teller's page records
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var (customerContext, customer) = await CustomerPageAsync(driver, host.BaseAddress!);
        await using var _ = customerContext;
        var (tellerContext, teller) = await TellerPageAsync(driver);
        await using var __ = tellerContext;
        await Expect(() => teller.Locator("#video-status").TextContentAsync(), s => s == "connected");
        // uploaded | segment | refusal | retrying
        const string Uploaded = "() => { const r = tellerPage.recorder ? tellerPage.recorder.state : { uploaded: 0, segment: -1, refused: null, retrying: false }; return `${r.uploaded}|${r.segment}|${r.refused || ''}|${r.retrying}`; }";
        await Expect(() => teller.EvaluateAsync<string>(Uploaded), s => int.Parse(s.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var before = int.Parse((await teller.EvaluateAsync<string>(Uploaded)).Split('|')[0], System.Globalization.CultureInfo.InvariantCulture);

        await host.RestartAsync();

        // Both pages come back to the new process: someone joining its room now finds the teller and the customer there.
        var supervisor = await host.ClientFor("supervisor");
        using var observer = new ClientWebSocket();
        await observer.ConnectAsync(new Uri($"ws://{host.BaseAddress!.Authority}/api/cases/{driver.CaseId}/room?seat=observer&access_token={Uri.EscapeDataString(supervisor.Token())}"), Cancellation);
        var seen = new HashSet<string>();
        var buffer = new byte[64 * 1024];
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation))
        {
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            while (!(seen.Contains("teller") && seen.Contains("customer")))
            {
                var result = await observer.ReceiveAsync(buffer, limit.Token);
                var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement;
                if (message.GetProperty("type").GetString() is "peer-present" or "peer-joined")
                {
                    seen.Add(message.GetProperty("id").GetString()!);
                }
            }
        }
        seen.ShouldBe(["teller", "customer"], ignoreOrder: true);

        // Chunks made while the Host was away are sent again until they land: wait until the recorder has caught up.
        await Expect(() => teller.EvaluateAsync<string>(Uploaded),
            s => (int.Parse(s.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture) >= before + 4 && s.Split('|')[3] == "false") || s.Split('|')[2].Length > 0);
        var after = (await teller.EvaluateAsync<string>(Uploaded)).Split('|');
        (after[1], after[2]).ShouldBe(("0", ""), "the recording went on in its first segment, nothing refused");
        await Expect(() => teller.Locator("#video-status").TextContentAsync(), s => s == "connected");
        await Expect(() => customer.EvaluateAsync<string>("() => customerPage.room.connection ? customerPage.room.connection.connectionState : 'none'"), s => s == "connected");
    }
}
