using Serilog.Core;
using Serilog.Events;

namespace VirtualBranch.Host.Telemetry;

/// <summary>
/// Puts the case and the trace a log line was written under at its end (<c>[case …, trace …]</c>), so a line read in the
/// console leads to the case's stream and to the request's trace; nothing when it was written under neither.
/// </summary>
public sealed class CommandContextEnricher : ILogEventEnricher
{
    public const string PropertyName = "Context";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        var parts = new List<string>(2);
        if (logEvent.Properties.TryGetValue("CaseId", out var caseId) && caseId is ScalarValue { Value: { } id })
        {
            parts.Add($"case {id}");
        }
        if (logEvent.TraceId is { } trace)
        {
            parts.Add($"trace {trace.ToHexString()}");
        }
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(PropertyName, parts.Count == 0 ? "" : $" [{string.Join(", ", parts)}]"));
    }
}
