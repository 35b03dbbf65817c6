using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Workflows;

namespace VirtualBranch.Host.Cli;

/// <summary>The analyst's verbs, which need no database: <c>schema [file]</c> and <c>validate &lt;file|folder&gt; [--lang zh|en]</c>.</summary>
internal static class AuthoringVerbs
{
    private static readonly Lazy<ServiceProvider> Services = new(() => new ServiceCollection().AddRemoteBanking().BuildServiceProvider());

    public static int Schema(string? file, IAnsiConsole console)
    {
        var path = file ?? Path.Combine(EngineOptionsSetup.FindRepositoryRoot(Directory.GetCurrentDirectory()), "definitions", DefinitionSchema.FileName);
        var registry = Services.Value.GetRequiredService<ActivityRegistry>();
        File.WriteAllText(path, DefinitionSchema.Generate(registry));
        console.MarkupLineInterpolated($"[green]wrote[/] {path} ({registry.Types.Count()} activity types)");
        return CliVerbs.Ok;
    }

    public static int Validate(string target, bool chinese, IAnsiConsole console)
    {
        var files = Directory.Exists(target)
            ? DefinitionSchema.DefinitionFilesIn(target).ToList()
            : File.Exists(target) ? [target] : null;
        if (files is null)
        {
            console.MarkupLineInterpolated($"[red]There is no file or folder '{target}'.[/]");
            return CliVerbs.Usage;
        }
        var parser = Services.Value.GetRequiredService<DefinitionParser>();
        var broken = 0;
        foreach (var file in files)
        {
            var read = parser.Read(File.ReadAllText(file));
            foreach (var warning in read.Warnings)
            {
                console.MarkupLineInterpolated($"[yellow]WARN[/]  {Path.GetFileName(file)}  {warning.Path}  [[{warning.Code}]]  {ProblemCatalog.Message(warning, chinese)}");
            }
            if (read.IsValid)
            {
                console.MarkupLineInterpolated($"[green]ok[/]    {Path.GetFileName(file)}  {read.Definition!.Id} v{read.Definition.Version}  sha256 {read.Definition.ContentHash[..16]}…");
                continue;
            }
            broken++;
            foreach (var problem in read.Problems)
            {
                console.MarkupLineInterpolated($"[red]FAIL[/]  {Path.GetFileName(file)}  {problem.Path}  [[{problem.Code}]]  {ProblemCatalog.Message(problem, chinese)}");
            }
        }
        console.MarkupLineInterpolated($"{files.Count} definitions, {files.Count - broken} valid, {broken} with problems");
        return broken == 0 ? CliVerbs.Ok : CliVerbs.Failed;
    }
}
