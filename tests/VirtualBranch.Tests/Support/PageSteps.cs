using Microsoft.Playwright;

namespace VirtualBranch.Tests.Support;

/// <summary>What people do on the pages: staff sign in; a customer or a participant uses the messages the Host sent their phone (the local outbox).</summary>
public static class PageSteps
{
    /// <summary>Where a test keeps a screenshot named <paramref name="name"/> (PNG, in the test results).</summary>
    public static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png");

    /// <summary>Signs <paramref name="user"/> in on a staff page (teller, regulator, analyst) that shows the sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GetByLabel("用户名 / Username").FillAsync(user);
        await page.GetByLabel("密码 / Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 / Sign in" }).ClickAsync();
    }

    /// <summary>
    /// The teller submits a waiting step and the step is taken: its form leaves the page. When the case moved on between
    /// the page's last refresh and the click (someone joined, a link was opened), the Host refuses the stale version and
    /// the page says it refreshed; a teller then submits again, and so does this. Any other refusal fails with its text.
    /// </summary>
    public static async Task SubmitStepAsync(IPage teller, string stepId)
    {
        var step = teller.Locator($".step[data-step={stepId}]");
        for (var attempt = 1; ; attempt++)
        {
            await step.Locator("button[type=submit]").ClickAsync();
            var (gone, error) = await Eventually.Until(Shown, shown => shown.Gone || shown.Error.Length > 0, TimeSpan.FromSeconds(60),
                _ => $"the {stepId} step was neither taken nor refused");
            if (gone)
            {
                return;
            }
            if (!error.Contains("Refreshed", StringComparison.Ordinal) || attempt == 3)
            {
                throw new Shouldly.ShouldAssertException($"the {stepId} step was refused: {error}");
            }
        }

        // Read without waiting for anything: the step may leave the page at any moment, and then nothing is refused.
        async Task<(bool Gone, string Error)> Shown()
        {
            var error = string.Concat(await step.Locator(".error").AllTextContentsAsync());
            return await step.CountAsync() == 0 ? (true, "") : (false, error);
        }
    }

    /// <summary>Waits for the page to show something (bounded); the answer is asserted, not the time it took.</summary>
    public static Task Expect<T>(Func<Task<T>> read, Func<T, bool> ok, TimeSpan? limit = null) =>
        Eventually.Until(read, ok, limit ?? TimeSpan.FromSeconds(60), value => $"The page did not show what was expected; it shows: {value}");

    /// <summary>The next one-time code sent for the case (to <paramref name="to"/>, when given), once the Host has sent it.</summary>
    public static async Task<string> NextCode(CustomerPhone phone, Guid caseId, int seen, string? to = null)
    {
        bool Mine(Host.Customers.OutboxEntry m) => m.CaseId == caseId && m.Kind == "code" && (to is null || m.To == to);
        await Eventually.Until(() => Task.FromResult(phone.Messages.Count(Mine)), n => n > seen, TimeSpan.FromSeconds(60), n => $"no new code was sent ({n} so far)");
        return phone.Messages.Last(Mine).Code!;
    }

    /// <summary>Opens the link on the page, types the code the Host sends, and confirms.</summary>
    public static async Task OpenLinkAsync(IPage page, CustomerPhone phone, Guid caseId, string url, int seen, string? to = null)
    {
        await page.GotoAsync(url);
        await page.GetByLabel("短信验证码").FillAsync(await NextCode(phone, caseId, seen, to));
        await page.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
    }

    /// <summary>The customer types the code sent for the consent they just gave, and confirms it.</summary>
    public static async Task ConfirmWithCode(IPage customer, CustomerPhone phone, Guid caseId, int seen, string? to = null)
    {
        var form = customer.Locator("form.confirm");
        await form.GetByLabel("短信验证码").FillAsync(await NextCode(phone, caseId, seen, to));
        await form.GetByRole(AriaRole.Button, new() { Name = "确认" }).ClickAsync();
    }
}
