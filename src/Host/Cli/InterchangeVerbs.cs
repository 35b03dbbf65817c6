using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Interchange;
using VirtualBranch.Workflows;

namespace VirtualBranch.Host.Cli;

/// <summary>
/// <c>import-elsa &lt;file&gt; [--partial] [--out file]</c> and <c>export-elsa &lt;definition.json&gt; [--out file]</c>.
/// An import writes only a valid definition, unless <c>--partial</c>; its exit code says what happened.
/// </summary>
internal static class InterchangeVerbs
{
    /// <summary>The file is no Elsa workflow (not JSON, no root activity, a root container with no counterpart); nothing written.</summary>
    public const int NotElsa = 3;

    /// <summary>Some activities or expressions do not carry over; nothing written (ask for <c>--partial</c>).</summary>
    public const int DoesNotConvert = 4;

    /// <summary>Everything carried over but the definition does not validate; nothing written.</summary>
    public const int Invalid = 5;

    /// <summary><c>--partial</c>: written with marked placeholders or problems to fix before it can be published.</summary>
    public const int WrittenPartial = 6;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lazy<DefinitionParser> Parser = new(() => new ServiceCollection().AddRemoteBanking().BuildServiceProvider().GetRequiredService<DefinitionParser>());

    public static int Import(string file, bool partial, string? output, IAnsiConsole console, TextWriter stdout)
    {
        if (!File.Exists(file))
        {
            console.MarkupLineInterpolated($"[red]There is no file '{file}'.[/]");
            return CliVerbs.Usage;
        }
        var result = ElsaImporter.Import(File.ReadAllText(file), partial);
        foreach (var activity in result.Activities)
        {
            console.MarkupLineInterpolated($"{activity.Fate,-13}  {activity.Path}  {activity.ElsaType} '{activity.ElsaId}' → {activity.StepId ?? "-"} ({activity.StepType ?? "-"}){(activity.Note is null ? "" : $": {activity.Note}")}");
        }
        foreach (var issue in result.Issues)
        {
            console.MarkupLineInterpolated($"[yellow]does not map[/]  {issue.Path}  {issue.ElsaType} '{issue.ActivityId}': {issue.Reason}");
        }
        if (!result.Readable)
        {
            console.MarkupLineInterpolated($"[red]Not an Elsa workflow; nothing was written.[/] (exit {NotElsa})");
            return NotElsa;
        }
        if (result.Definition is null)
        {
            console.MarkupLineInterpolated($"[red]Nothing was written:[/] {result.Issues.Count} things do not carry over. Use --partial for a definition with marked placeholders. (exit {DoesNotConvert})");
            return DoesNotConvert;
        }
        var json = result.Definition.ToJsonString(Indented);
        var read = Parser.Value.Read(json);
        foreach (var problem in read.Problems)
        {
            console.MarkupLineInterpolated($"[red]problem[/]  {problem.Path}  [[{problem.Code}]]  {problem.Message}");
        }
        foreach (var warning in read.Warnings)
        {
            console.MarkupLineInterpolated($"[yellow]warning[/]  {warning.Path}  [[{warning.Code}]]  {warning.Message}");
        }
        if (!read.IsValid && !partial)
        {
            console.MarkupLineInterpolated($"[red]Nothing was written:[/] the converted definition has {read.Problems.Count} problem(s). Use --partial to write it anyway. (exit {Invalid})");
            return Invalid;
        }
        if (output is null)
        {
            stdout.WriteLine(json);
        }
        else
        {
            File.WriteAllText(output, json + "\n");
            console.MarkupLineInterpolated($"[green]wrote[/] {output}");
        }
        if (result.Issues.Count > 0 || !read.IsValid)
        {
            console.MarkupLineInterpolated($"[yellow]Partial:[/] {result.Issues.Count} placeholder(s) and {read.Problems.Count} problem(s) to fix before it can be published. (exit {WrittenPartial})");
            return WrittenPartial;
        }
        return CliVerbs.Ok;
    }

    public static int Export(string file, string? output, IAnsiConsole console, TextWriter stdout)
    {
        if (!File.Exists(file))
        {
            console.MarkupLineInterpolated($"[red]There is no file '{file}'.[/]");
            return CliVerbs.Usage;
        }
        var read = Parser.Value.Read(File.ReadAllText(file));
        if (read.Definition is not { } definition)
        {
            foreach (var problem in read.Problems)
            {
                console.MarkupLineInterpolated($"[red]problem[/]  {problem.Path}  [[{problem.Code}]]  {problem.Message}");
            }
            return CliVerbs.Failed;
        }
        var json = ElsaExporter.Export(definition);
        if (output is null)
        {
            stdout.WriteLine(json);
        }
        else
        {
            File.WriteAllText(output, json + "\n");
            console.MarkupLineInterpolated($"[green]wrote[/] {output} (Elsa 3 Flowchart, {definition.Activities.Count} activities)");
        }
        return CliVerbs.Ok;
    }
}
