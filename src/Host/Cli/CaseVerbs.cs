using System.Globalization;
using Marten;
using Spectre.Console;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Definitions;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Host.Cli;

/// <summary>The verbs that read cases from the database.</summary>
internal static class CaseVerbs
{
    public static async Task<int> ReplayAsync(Guid id, long? version, IServiceProvider services, IAnsiConsole console)
    {
        await services.GetRequiredService<DefinitionLibrary>().LoadStoredAsync(CancellationToken.None);
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id, version ?? 0);
        if (events.Count == 0)
        {
            console.MarkupLineInterpolated($"[red]There is no case {id}.[/]");
            return CliVerbs.Failed;
        }
        var timeline = CaseTimeline.Build(events, services.GetRequiredService<DefinitionCatalog>());
        var state = (await CaseStreams.LoadAsync(session, id, version))!;
        console.MarkupLineInterpolated($"[bold]Case {timeline.Number}[/] ({id}) on {timeline.DefinitionId} v{timeline.DefinitionVersion}, replayed to version {state.Version}");
        var table = new Table().AddColumns("#", "step", "type", "started", "waited for", "acted by", "outcome", "notes");
        foreach (var step in timeline.Steps)
        {
            table.AddRow(step.FirstVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(step.Title), step.ActivityType,
                $"{step.StartedAt:yyyy-MM-dd HH:mm:ss}", Markup.Escape(step.WaitedFor ?? ""), Markup.Escape(step.ActedBy is null ? "" : $"{step.ActedBy} ({step.ActedAs})"),
                Markup.Escape(step.Error is null ? step.Outcome ?? "" : $"failed: {step.Error}"), Markup.Escape(string.Join("; ", step.Records)));
        }
        console.Write(table);
        foreach (var mark in timeline.Marks)
        {
            console.MarkupLineInterpolated($"v{mark.Version}  {mark.At:yyyy-MM-dd HH:mm:ss}  {mark.What}{(mark.Who is null ? "" : $"  by {mark.Who}")}");
        }
        console.MarkupLineInterpolated($"[bold]State at version {state.Version}:[/] {state.Status.ToString().ToLowerInvariant()}");
        console.WriteLine($"  data       {state.Data.GetRawText()}");
        console.WriteLine($"  variables  {System.Text.Json.JsonSerializer.Serialize(state.Variables)}");
        foreach (var waiting in state.Bookmarks.Values)
        {
            console.WriteLine($"  waiting    {waiting.BookmarkId} for {waiting.Role ?? waiting.Signal}{(waiting.Deadline is { } d ? $" until {d:O}" : "")}");
        }
        return CliVerbs.Ok;
    }

    public static async Task<int> VerifyAsync(Guid id, IServiceProvider services, IAnsiConsole console)
    {
        var result = await services.GetRequiredService<CaseVerifier>().VerifyAsync(id, CancellationToken.None);
        if (result is null)
        {
            console.MarkupLineInterpolated($"[red]There is no case {id}.[/]");
            return CliVerbs.Failed;
        }
        if (result.Intact)
        {
            console.MarkupLineInterpolated($"[green]intact[/]  {result.EventsChecked} events and {result.FilesChecked} files checked; {result.Anchor}");
            return CliVerbs.Ok;
        }
        console.MarkupLineInterpolated($"[red]BROKEN at version {result.FirstBrokenVersion}[/]: {result.Problem} ({result.EventsChecked} events checked before it)");
        return CliVerbs.Failed;
    }

    public static async Task<int> VerifyAllAsync(IServiceProvider services, IAnsiConsole console)
    {
        var log = await services.GetRequiredService<CheckpointLog>().VerifyAsync(null, CancellationToken.None);
        ReportLog(log, console);
        var stored = services.GetRequiredService<StoredEvents>();
        var ids = await stored.AllCaseIdsAsync(CancellationToken.None);
        var verifier = services.GetRequiredService<CaseVerifier>();
        var latest = await services.GetRequiredService<CheckpointReader>().LatestAsync(SignedCheckpoint.Scheduled, CancellationToken.None);
        var broken = new List<(Guid Id, Engine.Integrity.VerificationResult Result)>();
        var events = 0L;
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Verifying {ids.Count} cases", maxValue: Math.Max(ids.Count, 1));
                await foreach (var batch in stored.ScanAsync(ids, CancellationToken.None))
                {
                    foreach (var (id, result) in await verifier.VerifyBatchAsync(batch, latest, OrReport, CancellationToken.None))
                    {
                        events += result.EventsChecked;
                        if (!result.Intact)
                        {
                            broken.Add((id, result));
                        }
                    }
                    task.Increment(batch.Count);
                }
            });
        foreach (var (id, result) in broken)
        {
            console.MarkupLineInterpolated($"[red]BROKEN[/] {id} at version {result.FirstBrokenVersion}: {result.Problem}");
        }
        console.MarkupLineInterpolated($"{ids.Count} cases, {events} events checked: {ids.Count - broken.Count} intact, {broken.Count} broken");
        return broken.Count == 0 && log.Intact ? CliVerbs.Ok : CliVerbs.Failed;
    }

    /// <summary>The checkpoint log on its own, from a checkpoint the reader kept (<c>--known N:hash</c>) or from the first.</summary>
    public static async Task<int> VerifyCheckpointsAsync((long Number, string Hash)? known, IServiceProvider services, IAnsiConsole console)
    {
        var log = await services.GetRequiredService<CheckpointLog>().VerifyAsync(known, CancellationToken.None);
        ReportLog(log, console);
        return log.Intact ? CliVerbs.Ok : CliVerbs.Failed;
    }

    /// <summary>Writes a checkpoint now over every case changed since the last one.</summary>
    public static async Task<int> CheckpointAsync(IServiceProvider services, IAnsiConsole console)
    {
        var run = await services.GetRequiredService<CheckpointWriter>().WriteAsync(null, CancellationToken.None);
        foreach (var refused in run.Refused)
        {
            console.MarkupLineInterpolated($"[red]not anchored[/] {refused}");
        }
        if (run.Written is { } written)
        {
            console.MarkupLineInterpolated($"[green]{written.Checkpoint}[/] anchors {run.Anchored} cases; keep its hash to check the log later: {written.Checkpoint.Number}:{written.Hash}");
        }
        else
        {
            console.MarkupLine("Nothing changed since the last checkpoint.");
        }
        return run.Refused.Count == 0 ? CliVerbs.Ok : CliVerbs.Failed;
    }

    private static void ReportLog(CheckpointLogReport log, IAnsiConsole console)
    {
        if (!log.Intact)
        {
            console.MarkupLineInterpolated($"[red]CHECKPOINTS BROKEN[/]: {log.Problem}");
            return;
        }
        if (log.Unstamped.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{log.Unstamped.Count} checkpoints carry no timestamp token[/] (their time is the bank's word alone): {string.Join(", ", log.Unstamped.Take(20))}");
        }
        if (log.LatestNumber is { } number)
        {
            console.MarkupLineInterpolated($"[green]checkpoints intact[/]  {log.Checked} checked; the latest is {number}:{log.LatestHash} (keep it to check the log later)");
            return;
        }
        console.MarkupLine("no checkpoints yet");
    }

    /// <summary>One case's verification; a stream whose data cannot even be read is reported as broken, not left to stop the run.</summary>
    private static Engine.Integrity.VerificationResult OrReport(StoredStream stream, Func<Engine.Integrity.VerificationResult> verify)
    {
        try
        {
            return verify();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return Engine.Integrity.VerificationResult.Broken(0, 0, stream.Rows.Count > 0 ? stream.Rows[0].Version : 1, $"unreadable event data: {ex.Message}");
        }
    }

    /// <summary>Rebuilds the queues' case summaries from the streams alone (after a restore, or to prove the projection holds nothing else).</summary>
    public static async Task<int> RebuildSummariesAsync(IServiceProvider services, IAnsiConsole console)
    {
        await services.GetRequiredService<DefinitionLibrary>().LoadStoredAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (cases, events, unreadable) = await services.GetRequiredService<SummaryRebuild>().RunAsync(null, CancellationToken.None);
        console.MarkupLineInterpolated($"[green]Rebuilt[/] {cases} case summaries from {events} events in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var id in unreadable)
        {
            console.MarkupLineInterpolated($"[red]not summarised[/] {id}: its stream does not begin with the case being opened; run verify {id}");
        }
        return unreadable.Count == 0 ? CliVerbs.Ok : CliVerbs.Failed;
    }

    /// <summary>The retention sweep now: a dry run lists, otherwise each due case is erased; a refusal (a hold placed meanwhile) fails the run.</summary>
    public static async Task<int> RetentionSweepAsync(bool dryRun, IServiceProvider services, IAnsiConsole console)
    {
        await services.GetRequiredService<DefinitionLibrary>().LoadStoredAsync(CancellationToken.None);
        var report = await services.GetRequiredService<RetentionSweep>().SweepAsync(dryRun, CancellationToken.None);
        if (report.Results.Count == 0)
        {
            console.MarkupLine("No closed case has reached the end of its retention (cases on legal hold wait for their release).");
            return CliVerbs.Ok;
        }
        // A line per case (not a table, which wraps a case id on a narrow terminal): easy to read and to grep.
        foreach (var result in report.Results)
        {
            var outcome = result.Outcome switch
            {
                ErasureResult.Erased => "[green]erased[/]",
                ErasureResult.WouldErase => "[yellow]would be erased[/]",
                _ => $"[red]refused[/]: {Markup.Escape(result.Detail ?? "")}",
            };
            console.MarkupLine($"{Markup.Escape(result.Number)} {result.CaseId} retained until {result.RetainUntil:yyyy-MM-dd}, {result.Files.Count.ToString(CultureInfo.InvariantCulture)} files: {outcome}");
        }
        console.MarkupLineInterpolated($"Report {report.Id}: {(dryRun ? "a dry run; nothing was changed" : "kept in the database")}.");
        return report.Results.Any(r => r.Outcome == ErasureResult.Refused) ? CliVerbs.Failed : CliVerbs.Ok;
    }

    public static async Task<int> ExportAsync(Guid id, string file, IServiceProvider services, IAnsiConsole console)
    {
        await using (var output = File.Create(file))
        {
            if (!await services.GetRequiredService<ExportBundle>().WriteAsync(id, Environment.UserName, output, CancellationToken.None))
            {
                console.MarkupLineInterpolated($"[red]There is no case {id}.[/]");
                output.Close();
                File.Delete(file);
                return CliVerbs.Failed;
            }
        }
        console.MarkupLineInterpolated($"[green]Exported[/] case {id} to {file} ({new FileInfo(file).Length:N0} bytes); check it with verify-bundle {file}");
        return CliVerbs.Ok;
    }
}
