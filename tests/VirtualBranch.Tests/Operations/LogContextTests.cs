using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;
using Shouldly;
using VirtualBranch.Host.Telemetry;

namespace VirtualBranch.Tests.Operations;

/// <summary>A log line written during a command ends with its case and trace, so an operator can follow it to both.</summary>
public sealed class LogContextTests
{
    private static string ContextOf(LogEvent logEvent)
    {
        new CommandContextEnricher().Enrich(logEvent, new PropertyFactory());
        return ((ScalarValue)logEvent.Properties[CommandContextEnricher.PropertyName]).Value!.ToString()!;
    }

    private static LogEvent Line(ActivityTraceId? trace, params LogEventProperty[] properties) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse("step done"), properties, trace ?? default, default);

    [Fact]
    public void a_line_written_under_a_case_and_a_trace_names_both()
    {
        var trace = ActivityTraceId.CreateRandom();
        var caseId = Guid.Parse("01a23e0c-935c-743a-b355-28292c4d496c");
        ContextOf(Line(trace, new LogEventProperty("CaseId", new ScalarValue(caseId))))
            .ShouldBe($" [case {caseId}, trace {trace.ToHexString()}]");
    }

    [Fact]
    public void a_line_written_under_neither_gets_nothing()
    {
        ContextOf(Line(null)).ShouldBe("");
    }

    private sealed class PropertyFactory : Serilog.Core.ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) => new(name, new ScalarValue(value));
    }
}
