using VirtualBranch.Host.Cli;

namespace VirtualBranch.Tests.Support;

/// <summary>The Host's command-line verbs run against a test Host's services, as an operator would run them.</summary>
public static class Cli
{
    public static async Task<(int Exit, string Output)> RunCliAsync(this HostFixture host, params string[] args)
    {
        using var output = new StringWriter();
        var exit = await CliVerbs.RunAsync(args, host.Services, output);
        return (exit, output.ToString());
    }
}
