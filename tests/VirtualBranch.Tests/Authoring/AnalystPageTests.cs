using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

[Collection(BrowserCollection.Name)]
public sealed class AnalystPageTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    [Fact]
    public async Task an_analyst_signs_in_sees_problems_at_their_lines_fixes_them_and_publishes()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        await page.GotoAsync("/analyst");
        await page.GetByLabel("用户名 / Username").FillAsync("analyst");
        await page.GetByLabel("密码 / Password").FillAsync(host.PasswordOf("analyst"));
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 / Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "个人贷款面签 / Personal loan face signing v1" }).ClickAsync();
        await page.Locator("#diagram svg g.node").First.WaitForAsync();
        (await page.Locator("#diagram svg g.node").CountAsync()).ShouldBeGreaterThan(10);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "analyst-diagram.png"), FullPage = true });

        var broken = new FlowBuilder("page-flow").Activity("check", "decision", new { condition = "data.amount >" }).Activity("ok", "end")
            .Connect("start", "done", "check").Connect("check", "true", "ok").Json();
        var pretty = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(broken), new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await page.Locator("#source").FillAsync(pretty);
        await page.GetByRole(AriaRole.Button, new() { Name = "校验 / Validate" }).ClickAsync();
        var row = page.Locator("#problems tbody tr").First;
        await row.WaitForAsync();
        var cells = await row.Locator("td").AllTextContentsAsync();
        cells[1].ShouldBe("$.activities[1].inputs.condition");
        cells[2].ShouldBe("expression-syntax");
        cells[3].ShouldContain("表达式无法解析");
        var expectedLine = pretty.Split('\n').ToList().FindIndex(l => l.Contains("\"condition\"", StringComparison.Ordinal)) + 1;
        cells[0].ShouldBe(expectedLine.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.Locator("#gutter .bad").AllTextContentsAsync()).ShouldContain(cells[0]);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "analyst-problems.png"), FullPage = true });

        await page.Locator("#source").FillAsync(pretty.Replace("data.amount >", "data.amount > 1", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "发布 / Publish" }).ClickAsync();
        await page.GetByText("已发布 page-flow v1").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test flow v1" }).WaitForAsync();

        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ShouldBeEmpty();
        await page.CloseAsync();
    }
}
