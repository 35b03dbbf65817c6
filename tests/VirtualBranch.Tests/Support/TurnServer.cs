using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// Debian's coturn, configured by <c>scripts/turn.sh</c> exactly as <c>./run.sh</c> configures it, on a free loopback port
/// with a secret of its own, for one test class; stopped when the class is done. test.sh installs coturn; nothing here does.
/// </summary>
public sealed class TurnServer : IAsyncDisposable
{
    private readonly Process _process;

    private TurnServer(Process process, string folder, int port, string secret)
    {
        _process = process;
        Folder = folder;
        Port = port;
        Secret = secret;
    }

    public string Folder { get; }

    public int Port { get; }

    public string Secret { get; }

    /// <summary>The ICE URLs the Host is given (<c>Media:IceServers</c>).</summary>
    public string Urls => $"turn:127.0.0.1:{Port}?transport=udp,turn:127.0.0.1:{Port}?transport=tcp";

    /// <summary>What the server wrote to its log.</summary>
    public string Log => File.Exists(Path.Combine(Folder, "turnserver.log")) ? File.ReadAllText(Path.Combine(Folder, "turnserver.log")) : "";

    public static async Task<TurnServer> StartAsync()
    {
        if (!File.Exists("/usr/bin/turnserver"))
        {
            throw new InvalidOperationException("/usr/bin/turnserver is missing: ./test.sh installs Debian's coturn (scripts/install-packages.sh).");
        }
        var folder = Directory.CreateTempSubdirectory("vb-turn-").FullName;
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secretFile = Path.Combine(folder, "turn-secret");
        await File.WriteAllTextAsync(secretFile, secret);
        var port = FreeUdpAndTcpPort();
        var script = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "scripts", "turn.sh");
        var start = new ProcessStartInfo("bash", [script, "run"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["VB_TURN_DIR"] = folder;
        start.Environment["VB_TURN_SECRET_FILE"] = secretFile;
        start.Environment["VB_TURN_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["VB_TURN_RELAY_PORTS"] = "50000-50999";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new TurnServer(process, folder, port, secret);
        await Eventually.Until(async () => process.HasExited || await server.AnswersAsync(), up => up, TimeSpan.FromSeconds(30),
            _ => $"turnserver does not answer on 127.0.0.1:{port}; its log: {server.Log}");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"turnserver exited with {process.ExitCode}; its log: {server.Log}");
        }
        return server;
    }

    /// <summary>Whether the server answers a STUN binding request (RFC 5389) on its UDP port.</summary>
    private async Task<bool> AnswersAsync()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[20];
        request[1] = 0x01; // Binding Request, no attributes
        BitConverter.GetBytes(IPAddress.HostToNetworkOrder(0x2112A442)).CopyTo(request, 4); // the magic cookie
        RandomNumberGenerator.Fill(request.AsSpan(8)); // the transaction id
        await udp.SendAsync(request, new IPEndPoint(IPAddress.Loopback, Port));
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            var answer = await udp.ReceiveAsync(wait.Token);
            return answer.Buffer.Length >= 20 && answer.Buffer[0] == 0x01 && answer.Buffer[1] == 0x01 && answer.Buffer.AsSpan(8, 12).SequenceEqual(request.AsSpan(8));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            return false; // not listening yet
        }
    }

    /// <summary>A loopback port free for both TCP and UDP right now (TURN listens on both).</summary>
    private static int FreeUdpAndTcpPort()
    {
        while (true)
        {
            var port = HostProcess.FreePort();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for UDP: try another
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
