using System.Text.RegularExpressions;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// Registers trusted time: an <see cref="ITimestampAuthority"/> (HTTP when <c>Timestamp:Url</c> is set, else the local one)
/// and the <see cref="TimestampTrust"/> that verification pins.
/// </summary>
public static partial class TimestampSetup
{
    public static void AddTimestamps(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        var settings = builder.Configuration;
        var trusted = TimestampTrust.Paths(settings[TimestampTrust.Key]);
        var url = settings["Timestamp:Url"];
        if (string.IsNullOrWhiteSpace(url))
        {
            var policy = settings["Timestamp:PolicyOid"];
            if (policy is not null && !Oid().IsMatch(policy))
            {
                throw new ConfigurationProblemException($"Timestamp:PolicyOid '{policy}' is not an object identifier (e.g. {LocalTimestampAuthority.DefaultPolicy}).");
            }
            builder.Services.AddSingleton<ITimestampAuthority>(services =>
                new LocalTimestampAuthority(options.DataDirectory, services.GetService<TimeProvider>() ?? TimeProvider.System, policy));
            if (trusted.Count == 0)
            {
                trusted = [Path.Combine(options.DataDirectory, LocalTimestampKey.CertificateFile)];
            }
        }
        else
        {
            builder.Services.AddSingleton<ITimestampAuthority>(Remote(url, settings["Timestamp:TimeoutSeconds"], trusted));
        }
        builder.Services.AddSingleton(services =>
        {
            _ = services.GetRequiredService<ITimestampAuthority>(); // the local authority writes tsa.pem on first use
            return TimestampTrust.FromPemFiles(trusted);
        });
    }

    private static HttpTimestampAuthority Remote(string url, string? timeout, IReadOnlyList<string> trusted)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ConfigurationProblemException($"Timestamp:Url '{url}' is not an absolute http(s) URL.");
        }
        if (trusted.Count == 0)
        {
            // A token is never trusted for the certificate it carries, so an external authority must be pinned.
            throw new ConfigurationProblemException($"{TimestampTrust.Key} must list the PEM certificate of the authority at {uri}.");
        }
        var seconds = 10;
        if (timeout is not null && (!int.TryParse(timeout, out seconds) || seconds <= 0))
        {
            throw new ConfigurationProblemException($"Timestamp:TimeoutSeconds '{timeout}' is not a positive whole number of seconds.");
        }
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        // A reply is a few KB; a megabyte cap keeps a misbehaving server from filling memory.
        return new HttpTimestampAuthority(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(seconds), MaxResponseContentBufferSize = 1 << 20 }, uri);
    }

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    private static partial Regex Oid();
}
