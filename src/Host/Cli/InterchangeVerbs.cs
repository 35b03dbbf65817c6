using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Interchange;
using VirtualBranch.Workflows;

namespace VirtualBranch.Host.Cli;

/// <summary><c>import-elsa &lt;file&gt; [--partial] [--out file]</c> and <c>export-elsa &lt;definition.json&gt; [--out file]</c>.</summary>
internal static class InterchangeVerbs
{
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
        foreach (var issue in result.Issues)
        {
            console.MarkupLineInterpolated($"[yellow]does not map[/]  {issue.Path}  {issue.ElsaType} '{issue.ActivityId}': {issue.Reason}");
        }
        if (result.Definition is null)
        {
            console.MarkupLineInterpolated($"[red]Nothing was converted:[/] {result.Issues.Count} activities do not map. Use --partial for a definition with marked placeholders.");
            return CliVerbs.Failed;
        }
        var json = result.Definition.ToJsonString(Indented);
        var read = Parser.Value.Read(json);
        foreach (var problem in read.Problems)
        {
            console.MarkupLineInterpolated($"[red]problem[/]  {problem.Path}  [[{problem.Code}]]  {problem.Message}");
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
        return read.IsValid && result.Issues.Count == 0 ? CliVerbs.Ok : CliVerbs.Failed;
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
