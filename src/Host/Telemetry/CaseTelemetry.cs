using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Telemetry;

/// <summary>
/// What an operator watches, as OpenTelemetry metrics and traces under the name <c>VirtualBranch</c>: cases opened and
/// closed by scenario, command latency by command and step type, refusals by reason, how late deadlines fire, the
/// outbox's depth, recording bytes received. Each command is a span (<c>case.command</c>) carrying the case id, beneath
/// the HTTP request's and above the database's.
/// </summary>
public sealed class CaseTelemetry : IDisposable
{
    public const string Name = "VirtualBranch";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _deadlineLag;
    private readonly Counter<long> _recordingBytes;

    public CaseTelemetry(IMeterFactory meters, NpgsqlDataSource database)
    {
        _meter = meters.Create(Name);
        _opened = _meter.CreateCounter<long>("vb.cases.opened", "{case}", "Cases opened, by scenario.");
        _closed = _meter.CreateCounter<long>("vb.cases.closed", "{case}", "Cases that reached an end, by scenario and status (completed, declined, cancelled, ...).");
        _latency = _meter.CreateHistogram<double>("vb.command.duration", "ms", "Time to decide and store a case command, by command and the type of the step it resumed.");
        _refused = _meter.CreateCounter<long>("vb.command.refusals", "{command}", "Commands refused, by kind and reason.");
        _deadlineLag = _meter.CreateHistogram<double>("vb.deadline.lag", "s", "How long after its deadline a waiting step's timer fired.");
        _recordingBytes = _meter.CreateCounter<long>("vb.recording.bytes", "By", "Recording bytes received and kept.");
        _meter.CreateObservableGauge("vb.outbox.depth", () => OutboxDepth(database), "{message}",
            "Messages accepted and not yet carried out (Wolverine's durable inbox and outbox).");
    }

    /// <summary>Starts a command's span; <see cref="Finish"/> records its metrics.</summary>
    public static Activity? Start(Guid caseId, CaseCommand command)
    {
        var activity = Source.StartActivity("case.command");
        activity?.SetTag("vb.case_id", caseId.ToString());
        activity?.SetTag("vb.command", command.GetType().Name);
        return activity;
    }

    /// <summary>One command done: its latency, a refusal, a case opened or closed, a timer's lag.</summary>
    public void Finish(Activity? activity, long startedAt, CaseCommand command, CaseState? before, WorkflowDefinition? definition, CommandOutcome outcome)
    {
        var scenario = definition?.Id ?? "unknown";
        var stepType = StepTypeOf(command, before);
        activity?.SetTag("vb.scenario", scenario);
        if (stepType is not null)
        {
            activity?.SetTag("vb.step_type", stepType);
        }
        _latency.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
            new("command", command.GetType().Name), new("step_type", stepType ?? "none"), new("outcome", outcome.Rejection is null ? "accepted" : "refused"));
        if (outcome.Rejection is { } refused)
        {
            activity?.SetStatus(ActivityStatusCode.Error, refused.Title);
            _refused.Add(1, new("kind", refused.Kind.ToString()), new("reason", refused.Title));
            return;
        }
        if (command is OpenCase && outcome.Events.Count > 0)
        {
            _opened.Add(1, new KeyValuePair<string, object?>("scenario", scenario));
        }
        if (outcome.State is { IsClosed: true } after && before is not { IsClosed: true } && outcome.Events.Count > 0)
        {
            _closed.Add(1, new("scenario", scenario), new("status", after.Status.ToString().ToLowerInvariant()));
        }
        if (command is FireTimer timer && before?.Bookmarks.GetValueOrDefault(timer.BookmarkId)?.Deadline is { } due && outcome.Events.Count > 0)
        {
            _deadlineLag.Record(Math.Max(0, (timer.Now - due).TotalSeconds), new KeyValuePair<string, object?>("scenario", scenario));
        }
    }

    public void RecordingReceived(long bytes) => _recordingBytes.Add(bytes);

    private static string? StepTypeOf(CaseCommand command, CaseState? before) => command switch
    {
        ResumeBookmark resume => before?.Bookmarks.GetValueOrDefault(resume.BookmarkId)?.ActivityType,
        FireTimer timer => before?.Bookmarks.GetValueOrDefault(timer.BookmarkId)?.ActivityType,
        _ => null,
    };

    // A scrape reads the depth from the database (two index-only counts); a database that does not answer gives no reading, not an error.
    private static IEnumerable<Measurement<long>> OutboxDepth(NpgsqlDataSource database)
    {
        try
        {
            using var command = database.CreateCommand(
                "select (select count(*) from vb.wolverine_outgoing_envelopes), (select count(*) from vb.wolverine_incoming_envelopes where status <> 'Handled')");
            command.CommandTimeout = 2;
            using var reader = command.ExecuteReader();
            reader.Read();
            return [new(reader.GetInt64(0), new KeyValuePair<string, object?>("box", "outgoing")), new(reader.GetInt64(1), new KeyValuePair<string, object?>("box", "incoming"))];
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return [];
        }
    }

    public void Dispose() => _meter.Dispose();
}
