using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

[Collection(BrowserCollection.Name)]
public sealed class RegulatorPageTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    [Fact]
    public async Task a_regulator_finds_a_case_reads_its_timeline_sees_it_verify_and_plays_the_recording_with_a_reason()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "dormant-account-reactivation",
            new { customerName = "王奶奶", idNumber = "11010519491231002X", mobile = "13800138000", accountNumber = "6222020200112233445", assisted = true });
        var closed = await driver.RunToEndAsync();
        var number = closed.GetProperty("number").GetString()!;

        var page = await browser.Browser.NewPageAsync(new() { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1300, Height = 1000 } });
        await page.GotoAsync("/regulator/");
        await page.GetByLabel("用户名 / Username").FillAsync("regulator");
        await page.GetByLabel("密码 / Password").FillAsync(host.PasswordOf("regulator"));
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 / Sign in" }).ClickAsync();
        await page.GetByLabel("案件编号 / Case number").FillAsync(number);
        await page.GetByLabel("查阅事由 / Reason for access").FillAsync("annual inspection 2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "查找 / Find" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex(number) }).ClickAsync();
        await page.GetByText("完整 / Intact").WaitForAsync();
        (await page.Locator("#verify").TextContentAsync())!.ShouldContain("anchored", Case.Sensitive, "the page says which checkpoint vouches for the case, or that none does yet");
        (await page.Locator("#timeline tbody tr").CountAsync()).ShouldBeGreaterThan(8);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^播放录像") }).ClickAsync();
        await page.Locator("video:not(.hidden)").WaitForAsync();
        (await page.Locator(".answers button").CountAsync()).ShouldBe(2, "one jump per willingness answer");
        await page.ScreenshotAsync(new() { Path = PageSteps.Shot("regulator-case"), FullPage = true });
        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ShouldBeEmpty();

        var supervisor = await host.ClientFor("supervisor");
        var log = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/access-log");
        var reads = log.EnumerateArray().Select(e => (What: e.GetProperty("what").GetString()!, Reason: e.GetProperty("reason").GetString())).ToList();
        reads.ShouldContain(r => r.What.StartsWith("GET /api/recordings/", StringComparison.Ordinal) && r.Reason == "annual inspection 2026");
        reads.ShouldContain(r => r.What.EndsWith("/timeline", StringComparison.Ordinal));
    }
}
