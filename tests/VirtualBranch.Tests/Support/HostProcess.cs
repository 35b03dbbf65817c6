using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shouldly;

namespace VirtualBranch.Tests.Support;

/// <summary>The built Host (the VirtualBranch.Host.dll beside the tests) run as a separate process, as an operator runs it.</summary>
public static class HostProcess
{
    /// <summary>Starts the Host with these arguments and environment; standard output and error are redirected.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "VirtualBranch.Host.dll"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>Runs the Host until it exits (bounded by two minutes) and returns its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(args, environment, workingDirectory);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // never leave a Host behind
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The address Kestrel says it listens on (port 0 picks a free one), read from the Host's output.</summary>
    public static async Task<Uri> ListeningAddressAsync(Process host)
    {
        const string marker = "Now listening on: ";
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        var seen = new List<string>();
        while (await host.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            seen.Add(line);
            if (line.IndexOf(marker, StringComparison.Ordinal) is >= 0 and var at)
            {
                // Keep reading what it writes, so a full pipe never stops the Host.
                _ = host.StandardOutput.BaseStream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken);
                _ = host.StandardError.BaseStream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken);
                return new Uri(line[(at + marker.Length)..].Trim());
            }
        }
        throw new ShouldAssertException($"The Host exited without listening: {string.Join('\n', seen)} {await host.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
    }
}
