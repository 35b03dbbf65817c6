using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using VirtualBranch.Host.Security;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Limits;

/// <summary>
/// In real Chromium: every page loads under the Content-Security-Policy without a violation, and a script injected into a
/// page (as an XSS would) is blocked and reported to the Host.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CspBrowserTests(BrowserHostFixture host, BrowserFixture browser) : IClassFixture<BrowserHostFixture>
{
    private CspViolations Violations => host.Services.GetRequiredService<CspViolations>();

    [Fact]
    public async Task the_pages_load_clean_and_an_injected_inline_script_is_blocked_and_reported()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = host.BaseAddress!.ToString() });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        foreach (var path in new[] { "/analyst/", "/regulator/", "/customer/" })
        {
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        }
        await page.GotoAsync("/teller/");
        await PageSteps.SignInAsync(page, "teller", host.PasswordOf("teller"));
        await page.Locator("#desk:not(.hidden)").WaitForAsync();
        consoleErrors.Where(e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
        Violations.Count.ShouldBe(0, string.Join("; ", Violations.Recent.Select(v => $"{v.DocumentUri} {v.Directive} {v.BlockedUri}")));

        var ran = await page.EvaluateAsync<bool>("""
            () => {
              const script = document.createElement("script");
              script.textContent = "window.injectedRan = true;";
              document.body.append(script);
              return window.injectedRan === true;
            }
            """);
        ran.ShouldBeFalse("the policy allows no inline script");

        var reported = await Eventually.Until(() => Task.FromResult(Violations.Recent), r => r.Count > 0, TimeSpan.FromSeconds(20),
            _ => "Chromium blocked the script but no report reached the Host");
        var violation = reported.ShouldHaveSingleItem();
        violation.DocumentUri.ShouldEndWith("/teller/");
        violation.Directive.ShouldBe("script-src-elem");
        violation.BlockedUri.ShouldBe("inline");
        await page.CloseAsync();
    }
}
