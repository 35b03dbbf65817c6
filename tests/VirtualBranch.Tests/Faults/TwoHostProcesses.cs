using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// Two Host processes on one database and one data folder, as a bank runs them: Wolverine in its balanced mode (node
/// ownership, not the tests' solo mode), each on a port of its own that it keeps across a restart, so a client's address
/// for a Host stays right. A Host is killed with SIGKILL, or stopped with SIGTERM as a deploy stops it.
/// </summary>
public sealed class TwoHostProcesses : IAsyncLifetime
{
    private readonly Process?[] _hosts = new Process?[2];
    private readonly int[] _ports = [HostProcess.FreePort(), HostProcess.FreePort()];
    private readonly string _definitions = Directory.CreateTempSubdirectory("vb-defs-").FullName;

    public TestDatabase Database { get; private set; } = null!;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("vb-test-").FullName;

    public Uri Address(int host) => new($"http://127.0.0.1:{_ports[host]}");

    public bool IsUp(int host) => _hosts[host] is { HasExited: false };

    /// <summary>Definitions the Hosts read from their folder at start (write them before <see cref="InitializeAsync"/> returns).</summary>
    public void AddDefinition(string id, string json) => File.WriteAllText(Path.Combine(_definitions, $"{id}.json"), json);

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        AddDefinition(ChaosFlow.Id, ChaosFlow.Json());
        await StartAsync(0); // the first creates the schema and the demo accounts; the second finds them
        await StartAsync(1);
    }

    public async Task StartAsync(int host)
    {
        var pages = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host");
        var process = HostProcess.Start(["--urls", Address(host).ToString(), "--contentRoot", pages], new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = Database.ConnectionString,
            ["Engine__DataDirectory"] = DataDirectory,
            ["Engine__DefinitionsPath"] = _definitions,
            ["Engine__SoloNode"] = "false",
            ["Engine__CreateDemoAccounts"] = "true",
        });
        _hosts[host] = process;
        await HostProcess.ListeningAddressAsync(process);
    }

    /// <summary>SIGKILL: whatever the Host had in flight (requests, outbox messages, jobs) is cut off mid-way.</summary>
    public async Task KillAsync(int host)
    {
        var process = _hosts[host]!;
        process.Kill(); // SIGKILL on Unix
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.Dispose();
        _hosts[host] = null;
    }

    /// <summary>
    /// SIGTERM, as a deploy stops a Host: it finishes the requests and work it has and exits. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(int host)
    {
        var process = _hosts[host]!;
        if (Signal(process.Id, Terminate) != 0)
        {
            throw new InvalidOperationException($"SIGTERM to Host {host} (process {process.Id}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var code = process.ExitCode;
        process.Dispose();
        _hosts[host] = null;
        return code;
    }

    private const int Terminate = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>A bearer token for a demo account; the signing key is in the shared data folder, so every Host accepts it.</summary>
    public async Task<string> TokenFor(string user)
    {
        var password = File.ReadAllLines(Path.Combine(DataDirectory, "demo-users.txt")).Single(l => l.StartsWith(user + " ", StringComparison.Ordinal)).Split(' ')[2];
        using var client = new HttpClient { BaseAddress = Address(0) };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _hosts.OfType<Process>())
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        await Database.DisposeAsync();
    }
}

/// <summary>The case the chaos driver runs: a teller's step, a timer (a deadline carried by the outbox and Hangfire), a second step.</summary>
public static class ChaosFlow
{
    public const string Id = "chaos-flow";

    public static string Json() => new FlowBuilder(Id)
        .Activity("first", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
        .Activity("wait", "timer", new { duration = "PT2S" })
        .Activity("second", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
        .Activity("done", "end")
        .Connect("start", "done", "first").Connect("first", "done", "wait").Connect("wait", "elapsed", "second").Connect("second", "done", "done")
        .Json();
}
