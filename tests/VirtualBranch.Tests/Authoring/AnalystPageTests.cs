using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

[Collection(BrowserCollection.Name)]
public sealed class AnalystPageTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    private async Task<IPage> SignedIn()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = host.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        await page.GotoAsync("/analyst");
        await page.GetByLabel("用户名 / Username").FillAsync("analyst");
        await page.GetByLabel("密码 / Password").FillAsync(host.PasswordOf("analyst"));
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 / Sign in" }).ClickAsync();
        return page;
    }

    /// <summary>Publishes the editor's definition, sees it listed, and checks the page for serious accessibility faults.</summary>
    private static async Task PublishesAndCloses(IPage page, string published, string listed)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "发布 / Publish" }).ClickAsync();
        await page.GetByText($"已发布 {published}").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = listed }).WaitForAsync();
        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}").ShouldBeEmpty();
        await page.CloseAsync();
    }

    [Fact]
    public async Task an_analyst_signs_in_sees_problems_at_their_lines_fixes_them_and_publishes()
    {
        var page = await SignedIn();
        await page.GetByRole(AriaRole.Button, new() { Name = $"个人贷款面签 / Personal loan face signing v{host.Services.GetRequiredService<VirtualBranch.Engine.Definitions.DefinitionCatalog>().Latest("loan-face-signing")!.Version}" }).ClickAsync();
        await page.Locator("#diagram svg g.node").First.WaitForAsync();
        (await page.Locator("#diagram svg g.node").CountAsync()).ShouldBeGreaterThan(10);
        await page.ScreenshotAsync(new() { Path = PageSteps.Shot("analyst-diagram"), FullPage = true });

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
        await page.ScreenshotAsync(new() { Path = PageSteps.Shot("analyst-problems"), FullPage = true });

        await page.Locator("#source").FillAsync(pretty.Replace("data.amount >", "data.amount > 1", StringComparison.Ordinal));
        await PublishesAndCloses(page, "page-flow v1", "Test flow v1");
    }

    [Fact]
    public async Task an_analyst_uploads_an_elsa_workflow_sees_each_activity_s_fate_and_publishes_what_converts()
    {
        var page = await SignedIn();
        var upload = page.GetByLabel("上传 Elsa 工作流 / Upload an Elsa workflow");
        await upload.WaitForAsync(); // shown once signed in

        // C# and Liquid do not carry over: each is listed, nothing goes into the editor until placeholders are asked for.
        await upload.SetInputFilesAsync(new FilePayload { Name = "scripted.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(ElsaImportTests.Sample("v3.6-csharp-liquid.json")) });
        await page.GetByText("Nothing converted: 4 thing(s) do not carry over", new() { Exact = false }).Or(page.GetByText("未转换：4 处无法转换", new() { Exact = false })).WaitForAsync();
        (await page.Locator("#elsa-issues li").AllTextContentsAsync()).ShouldContain("$.root.activities[1].condition: a C# expression: only sandboxed JavaScript runs here; rewrite it in JavaScript");
        (await page.Locator("#source").InputValueAsync()).ShouldBeEmpty();

        await upload.SetInputFilesAsync(new FilePayload { Name = "fork.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(ElsaImportTests.Sample("v3.3-fork-object-branches.json")) });
        var rows = page.Locator("#elsa-report tbody tr");
        await page.Locator("#elsa-report tbody tr.converted").First.WaitForAsync();
        (await rows.CountAsync()).ShouldBe(8, "the added start and the seven Elsa activities");
        var fork = await rows.Filter(new() { HasText = "Elsa.FlowFork FlowFork1" }).Locator("td").AllTextContentsAsync();
        fork.ShouldBe(["Elsa.FlowFork FlowFork1", "flow-fork1 (fork)", "已转换 / converted", ""]);
        var aside = await rows.Filter(new() { HasText = "Aside1" }).Locator("td").AllTextContentsAsync();
        aside[2].ShouldBe("未转换 / not converted");
        aside[3].ShouldContain("Elsa never runs it");
        (await page.Locator("#source").InputValueAsync()).ShouldContain("\"fork-object-branches\"");
        await page.Locator("#summary.ok").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = PageSteps.Shot("analyst-elsa-import"), FullPage = true });

        await PublishesAndCloses(page, "fork-object-branches v3", "Fork with Object branches v3");
    }
}
