using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace VirtualBranch.Host.Configuration;

/// <summary>
/// Behind a TLS-terminating proxy, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> say how the client really came, so
/// a request that arrived over HTTPS counts as HTTPS (the session cookie is then <c>Secure</c>, and the Origin check
/// compares with https). Only proxies on loopback and those in <c>Engine:ForwardedHeaders:KnownProxies</c> are believed.
/// </summary>
public static class ForwardedHeadersSetup
{
    public const string KnownProxiesKey = "Engine:ForwardedHeaders:KnownProxies";

    public static void AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        var proxies = KnownProxies(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }
        });
    }

    /// <summary>The addresses as a list (<c>KnownProxies:0</c>, <c>:1</c>, ...) or one comma-separated value; a wrong one stops the start.</summary>
    public static IReadOnlyList<IPAddress> KnownProxies(IConfiguration configuration)
    {
        var addresses = new List<IPAddress>();
        foreach (var text in ConfigurationList.Read(configuration, KnownProxiesKey))
        {
            addresses.Add(IPAddress.TryParse(text, out var address)
                ? address
                : throw new ConfigurationProblemException($"{KnownProxiesKey} holds '{text}', which is not an IP address (a proxy is named by its address, e.g. 10.0.0.5)."));
        }
        return addresses;
    }
}
