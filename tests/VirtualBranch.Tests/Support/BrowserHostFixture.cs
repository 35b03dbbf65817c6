namespace VirtualBranch.Tests.Support;

/// <summary>The real Host on a loopback port, for pages driven in Chromium.</summary>
public sealed class BrowserHostFixture : HostFixture
{
    protected override bool ServesBrowsers => true;
}
