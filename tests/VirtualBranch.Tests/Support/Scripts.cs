using System.Diagnostics;

namespace VirtualBranch.Tests.Support;

/// <summary>The project's shell scripts (scripts/*.sh) run as an operator runs them, with the environment given.</summary>
public static class Scripts
{
    /// <summary>Runs the script to its end (bounded by two minutes) and returns its exit code and what it wrote to standard error.</summary>
    public static async Task<(int ExitCode, string Errors)> RunAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var root = Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory);
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", script), .. args]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output;
        return (process.ExitCode, await errors);
    }
}
