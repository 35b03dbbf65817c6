using System.Globalization;
using System.Text.RegularExpressions;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Media.Network;

/// <summary>
/// How the pages connect a call: the STUN and TURN servers they use (<c>Media:IceServers</c>), whether they may only
/// relay through TURN (<c>Media:IceTransportPolicy</c>), and whether they offer only 127.0.0.1 candidates
/// (<c>Media:LoopbackOnly</c>, by default only when no ICE server is configured: one machine, tests).
/// </summary>
public sealed partial record IceOptions(IReadOnlyList<string> Servers, string TransportPolicy, bool LoopbackOnly)
{
    public const string ServersKey = "Media:IceServers";
    public const string TransportPolicyKey = "Media:IceTransportPolicy";
    public const string LoopbackOnlyKey = "Media:LoopbackOnly";

    public const string AnyCandidate = "all";
    public const string RelayOnly = "relay";

    public IEnumerable<string> StunServers => Servers.Where(s => !IsTurn(s));

    public IEnumerable<string> TurnServers => Servers.Where(IsTurn);

    public bool HasTurn => Servers.Any(IsTurn);

    private static bool IsTurn(string url) => url.StartsWith("turn:", StringComparison.Ordinal) || url.StartsWith("turns:", StringComparison.Ordinal);

    /// <summary>The options as configured, and every problem with them, each naming its key.</summary>
    public static (IceOptions Options, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var servers = ConfigurationList.Read(configuration, ServersKey);
        foreach (var url in servers.Where(u => !IsIceUrl(u)))
        {
            problems.Add($"{ServersKey} holds '{url}', which is not a stun:, turn: or turns: URL (e.g. stun:stun.example.com:3478 or turn:turn.example.com:3478?transport=udp).");
        }
        var policy = configuration[TransportPolicyKey] is { Length: > 0 } written ? written.Trim() : AnyCandidate;
        if (policy is not (AnyCandidate or RelayOnly))
        {
            problems.Add($"{TransportPolicyKey} is '{policy}'; it must be {AnyCandidate} (any candidate) or {RelayOnly} (only through a TURN server).");
        }
        else if (policy == RelayOnly && !servers.Any(IsTurn))
        {
            problems.Add($"{TransportPolicyKey} is {RelayOnly}, but {ServersKey} names no turn: or turns: server, so no call could connect.");
        }
        var loopbackOnly = servers.Count == 0;
        if (configuration[LoopbackOnlyKey] is { Length: > 0 } loopback && !bool.TryParse(loopback, out loopbackOnly))
        {
            problems.Add($"{LoopbackOnlyKey} is '{loopback}'; it must be true or false.");
        }
        return (new IceOptions(servers, policy, loopbackOnly), problems);
    }

    /// <summary>A STUN or TURN URL as RFC 7064 and RFC 7065 write it: scheme, host, optional port, and for TURN an optional transport.</summary>
    public static bool IsIceUrl(string url)
    {
        var match = IceUrl().Match(url);
        if (!match.Success || (match.Groups["transport"].Success && match.Groups["scheme"].Value == "stun"))
        {
            return false;
        }
        return !match.Groups["port"].Success || int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture) is >= 1 and <= 65535;
    }

    [GeneratedRegex(@"^(?<scheme>stun|turns?):(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:(?<port>[0-9]{1,5}))?(\?transport=(?<transport>udp|tcp))?$")]
    private static partial Regex IceUrl();
}
