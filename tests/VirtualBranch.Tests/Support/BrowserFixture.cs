using Microsoft.Playwright;

namespace VirtualBranch.Tests.Support;

/// <summary>Debian's headless Chromium driven by Playwright (no browser download); fake camera and microphone; loopback only.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go for review (test.sh points it under TestResults).</summary>
    public static string ScreenshotFolder =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("VB_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// Browser tests share one Chromium and run one class at a time, after every other test has finished: a page that records
/// a composite of three cameras takes both cores, and run beside the database tests its clicks would wait on the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
