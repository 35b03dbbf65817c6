using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Workflows;

namespace VirtualBranch.Host.Cli;

/// <summary>The analyst's verbs: <c>schema [file]</c> and <c>validate &lt;file|folder&gt; [--lang zh|en]</c> need no database; <c>publish</c> does.</summary>
internal static class AuthoringVerbs
{
    private static readonly Lazy<ServiceProvider> Services = new(() => new ServiceCollection().AddRemoteBanking().BuildServiceProvider());

    public static int Schema(string? file, IAnsiConsole console)
    {
        var path = file ?? Path.Combine(EngineOptionsSetup.FindRepositoryRoot(Directory.GetCurrentDirectory()), "definitions", DefinitionSchema.FileName);
        var registry = Services.Value.GetRequiredService<ActivityRegistry>();
        File.WriteAllText(path, DefinitionSchema.Generate(registry, Services.Value.GetServices<IDefinitionRule>()));
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

    /// <summary>
    /// <c>publish &lt;file&gt;</c>: stores a new version as the publish API does, for every Host on the database (each
    /// running Host loads it within a second). Exit 1 when it is invalid or the version exists.
    /// </summary>
    public static async Task<int> PublishAsync(string file, IServiceProvider services, IAnsiConsole console)
    {
        if (!File.Exists(file))
        {
            console.MarkupLineInterpolated($"[red]There is no file '{file}'.[/]");
            return CliVerbs.Usage;
        }
        var read = services.GetRequiredService<DefinitionParser>().Read(await File.ReadAllTextAsync(file));
        if (read.Definition is not { } definition)
        {
            foreach (var problem in read.Problems)
            {
                console.MarkupLineInterpolated($"[red]FAIL[/]  {Path.GetFileName(file)}  {problem.Path}  [[{problem.Code}]]  {ProblemCatalog.Message(problem, false)}");
            }
            return CliVerbs.Failed;
        }
        if (await services.GetRequiredService<Definitions.DefinitionLibrary>().PublishAsync(definition, "command-line", CancellationToken.None) is { } refused)
        {
            console.MarkupLineInterpolated($"[red]{refused}[/]");
            return CliVerbs.Failed;
        }
        console.MarkupLineInterpolated($"[green]published[/] {definition.Id} v{definition.Version}  sha256 {definition.ContentHash[..16]}…");
        return CliVerbs.Ok;
    }
}
