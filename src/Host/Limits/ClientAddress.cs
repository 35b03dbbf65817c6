using System.Net;
using System.Net.Sockets;

namespace VirtualBranch.Host.Limits;

/// <summary>
/// The address a limit counts a caller by: the connection's peer, or the client a trusted proxy names in
/// <c>X-Forwarded-For</c> (see <c>ForwardedHeadersSetup</c>: only loopback and the configured known proxies are believed).
/// </summary>
public static class ClientAddress
{
    /// <summary>The caller's address as a partition key; an IPv6 caller counts by its /64, which one subscriber usually holds whole.</summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 when !IPAddress.IsLoopback(v6) => Prefix64(v6),
        var address => address.ToString(),
    };

    private static string Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
