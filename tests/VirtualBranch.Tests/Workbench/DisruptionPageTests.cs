using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>The Host on a loopback port with no grace after the customer leaves the video room.</summary>
public sealed class NoGraceBrowserHostFixture : HostFixture
{
    protected override bool ServesBrowsers => true;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Media:DisruptionGraceSeconds"] = "0" };
}

/// <summary>
/// The customer's phone drops out of the call mid-willingness, in Chromium: under the loan scenario's <c>restart</c> the
/// case goes back to the identity check, and the regulator's timeline says why.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DisruptionPageTests(NoGraceBrowserHostFixture host, BrowserFixture browser) : IClassFixture<NoGraceBrowserHostFixture>
{
    [Fact]
    public async Task the_customer_page_closing_mid_willingness_sends_the_case_back_to_the_identity_check()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("loan-face-signing",
            new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 200000, termMonths = 36 })).Id();
        (await teller.PostAsync($"/api/cases/{caseId}/customer-link", null)).EnsureSuccessStatusCode();
        var phone = new CustomerPhone(host);

        var customerContext = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseAddress!.ToString(), IsMobile = true, ViewportSize = new() { Width = 420, Height = 900 } });
        var customer = await customerContext.NewPageAsync();
        await customer.GotoAsync(phone.Latest(caseId, "link").Url!);
        await Eventually.Until(() => Task.FromResult(phone.Messages.Count(m => m.CaseId == caseId && m.Kind == "code")), n => n == 1, TimeSpan.FromSeconds(30), _ => "no code was sent");
        await customer.GetByLabel("短信验证码").FillAsync(phone.Latest(caseId, "code").Code!);
        await customer.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "加入视频" }).ClickAsync();
        await Eventually.Until(() => customer.Locator("#connection").TextContentAsync(), s => s == "正在等待柜员…", TimeSpan.FromSeconds(30), s => $"the customer is not in the room: {s}");

        var opened = await teller.GetCase(caseId);
        await teller.ResumeOk(caseId, opened.Bookmark("video"), new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } });
        await customer.GetByRole(AriaRole.Button, new() { Name = "同意录音录像" }).ClickAsync();
        await Eventually.Until(() => Task.FromResult(phone.Messages.Count(m => m.CaseId == caseId && m.Kind == "code")), n => n == 2, TimeSpan.FromSeconds(30), _ => "no confirmation code was sent");
        await customer.Locator("form.confirm").GetByLabel("短信验证码").FillAsync(phone.Latest(caseId, "code").Code!);
        await customer.Locator("form.confirm").GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
        var recording = await Eventually.Until(() => teller.GetCase(caseId), c => c.GetProperty("waiting").EnumerateArray().Any(w => w.GetProperty("stepId").GetString() == "identity"),
            TimeSpan.FromSeconds(30), c => $"consent did not reach the case: {c}");
        await teller.ResumeOk(caseId, recording.Bookmark("identity"), new { name = "张三", idNumber = "11010519491231002X", idExpiry = "2036-01-01", faceMatch = true });

        await customerContext.CloseAsync(); // the phone loses the call mid-willingness

        var back = await Eventually.Until(() => teller.GetCase(caseId), c => c.GetProperty("waiting").EnumerateArray().Any(w => w.GetProperty("bookmarkId").GetString() == "identity.2"),
            TimeSpan.FromSeconds(30), c => $"the case did not go back to the identity check: {c}");
        back.GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("stepId").GetString()).ShouldBe(["identity"]);
        var timeline = await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/timeline");
        timeline.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("what").GetString())
            .ShouldContain(w => w!.StartsWith("Video session disrupted (customer-left)", StringComparison.Ordinal) && w.Contains("identity", StringComparison.Ordinal));
    }
}
