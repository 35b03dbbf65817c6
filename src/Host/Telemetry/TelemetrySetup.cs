using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using VirtualBranch.Host.Auth;

namespace VirtualBranch.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the Host: traces from the HTTP request through each case command (<see cref="CaseTelemetry"/>) to
/// Wolverine's messages, Marten and Npgsql; metrics of the same and ASP.NET Core's. A Prometheus scrape endpoint at
/// <c>/metrics</c> (supervisors' bearer token or cookie); with <c>Telemetry:OtlpEndpoint</c> set, traces and metrics also go
/// to that OTLP collector (e.g. <c>http://127.0.0.1:4317</c>).
/// </summary>
public static class TelemetrySetup
{
    public const string OtlpEndpointKey = "Telemetry:OtlpEndpoint";

    private static readonly string[] Sources = [CaseTelemetry.Name, "Wolverine", "Marten", "Npgsql"];

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CaseTelemetry>();
        var otlp = builder.Configuration[OtlpEndpointKey] is { Length: > 0 } text ? ParseEndpoint(text) : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("virtualbranch-host", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Sources).AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"));
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Sources).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
    }

    public static void MapTelemetry(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Supervisor).ExcludeFromDescription();

    private static Uri ParseEndpoint(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new Configuration.ConfigurationProblemException($"{OtlpEndpointKey} is '{text}'; it must be an http or https address of an OTLP collector, e.g. http://127.0.0.1:4317.");
}
