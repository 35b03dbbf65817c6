using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Shouldly;
using VirtualBranch.Host.Telemetry;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Operations;

/// <summary>
/// What an operator sees: the Prometheus scrape at <c>/metrics</c> (supervisors only) counts cases by scenario, times
/// commands by step type and counts refusals by reason; each command is a span under its HTTP request, with the case id.
/// </summary>
/// <remarks>
/// Run alone: a full run's scrape once came back empty for 30 s (only <c>target_info</c>) while other Hosts of the test
/// process started and stopped beside this one. What the OpenTelemetry SDK and the exporter report meanwhile is kept
/// and shown with a failure.
/// </remarks>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(HostFixture host) : IClassFixture<HostFixture>, IDisposable
{
    private readonly SdkReports _sdk = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<string> ScrapeAsync() => await (await host.ClientFor("supervisor")).GetStringAsync("/metrics", Cancellation);

    public void Dispose() => _sdk.Dispose();

    private static bool Has(string scrape, string metric, params string[] labels) =>
        scrape.Split('\n').Any(line => line.StartsWith(metric, StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)));

    [Fact]
    public async Task the_scrape_counts_cases_by_scenario_and_times_commands_by_step_type()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "吴十", amount = 10 });
        await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false });

        // The exporter answers from a copy it refreshes a few times a second: read until this test's commands are in it.
        var scrape = await Eventually.Until(ScrapeAsync,
            s => Has(s, "vb_cases_opened", "scenario=\"service-request\"") && Has(s, "vb_cases_closed", "scenario=\"service-request\"", "status=\"completed\""),
            TimeSpan.FromSeconds(30), s => $"the scrape lacks this test's commands:\n{s}\nOpenTelemetry reported:\n{_sdk}");

        Has(scrape, "vb_command_duration_milliseconds_bucket", "command=\"ResumeBookmark\"", "step_type=\"human-task\"").ShouldBeTrue();
        Has(scrape, "vb_outbox_depth", "box=\"outgoing\"").ShouldBeTrue("the outbox's depth is read from the database");
        Has(scrape, "http_server_request_duration_seconds_bucket").ShouldBeTrue("ASP.NET Core's own request metrics are there too");
    }

    [Fact]
    public async Task a_refused_command_is_counted_by_its_kind_and_reason()
    {
        var refusals = new ConcurrentBag<(string? Kind, string? Reason)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CaseTelemetry.Name && instrument.Name == "vb.command.refusals")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            refusals.Add((all.FirstOrDefault(t => t.Key == "kind").Value?.ToString(), all.FirstOrDefault(t => t.Key == "reason").Value?.ToString()));
        });
        listener.Start();
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", new { customerName = "吴十", amount = 10 });
        await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false });

        // The intake completes the case: one more step is refused, and counted as it is refused.
        (await teller.PostAsJsonAsync($"/api/cases/{opened.Id()}/bookmarks/nothing.9", new { input = new { } }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        refusals.ShouldContain(("Conflict", "The case is closed"));
    }

    [Fact]
    public async Task a_timer_that_fires_is_measured_by_how_late_it_fired()
    {
        var flow = new FlowBuilder("telemetry-timer").Activity("wait", "timer", new { duration = "PT1S" }).Activity("done", "end")
            .Connect("start", "done", "wait").Connect("wait", "elapsed", "done").Json();
        (await (await host.ClientFor("analyst")).Publish(flow)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var opened = await (await host.ClientFor("teller")).OpenCase("telemetry-timer", new { });

        await Eventually.Until(async () => (await (await host.ClientFor("supervisor")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/cases/{opened.Id()}", Cancellation)).GetProperty("status").GetString(),
            status => status == "completed", TimeSpan.FromMinutes(2), status => $"the timer never fired: {status}");
        await Eventually.Until(ScrapeAsync, s => Has(s, "vb_deadline_lag_seconds_count", "scenario=\"telemetry-timer\"") && Has(s, "vb_cases_closed", "scenario=\"telemetry-timer\""),
            TimeSpan.FromSeconds(30), s => $"no deadline lag for telemetry-timer in:\n{s}\nOpenTelemetry reported:\n{_sdk}");
    }

    [Fact]
    public async Task only_a_supervisor_reads_the_scrape()
    {
        (await host.CreateClient().GetAsync("/metrics", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await host.ClientFor("teller")).GetAsync("/metrics", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await host.ClientFor("regulator")).GetAsync("/metrics", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task each_command_is_a_span_with_its_case_id_under_the_http_request_that_carried_it()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is CaseTelemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var teller = await host.ClientFor("teller");

        var opened = await teller.OpenCase("service-request", new { customerName = "吴十", amount = 10 });

        var command = spans.Single(s => s.OperationName == "case.command" && (string?)s.GetTagItem("vb.case_id") == opened.Id().ToString());
        command.GetTagItem("vb.command").ShouldBe("OpenCase");
        command.GetTagItem("vb.scenario").ShouldBe("service-request");
        var request = spans.Single(s => s.SpanId == command.ParentSpanId);
        request.Source.Name.ShouldBe("Microsoft.AspNetCore", "the command's span is a child of the request's");
        request.TraceId.ShouldBe(command.TraceId);
    }
}

/// <summary>Telemetry's scrape is read in a class of its own, with no other Host starting or stopping in the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

/// <summary>The warnings and errors OpenTelemetry's own event sources report while a test runs.</summary>
internal sealed class SdkReports : System.Diagnostics.Tracing.EventListener
{
    private readonly ConcurrentQueue<string> _reports = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name.StartsWith("OpenTelemetry", StringComparison.Ordinal))
        {
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e) =>
        _reports.Enqueue($"{e.EventSource.Name} {e.EventName}: {(e.Message is { } m && e.Payload is { } p ? string.Format(System.Globalization.CultureInfo.InvariantCulture, m, [.. p]) : string.Join(", ", e.Payload ?? []))}");

    public override string ToString() => _reports.IsEmpty ? "(nothing)" : string.Join('\n', _reports.Take(50));
}
