using System.Globalization;
using Spectre.Console;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Timestamps;

namespace VirtualBranch.Host.Cli;

/// <summary>
/// The Host's command-line verbs for regulators and operators:
/// <c>replay &lt;caseId&gt; [--version N]</c>, <c>verify &lt;caseId&gt;|--all</c>, <c>rebuild-summaries</c>, <c>export &lt;caseId&gt; &lt;file.zip&gt;</c>,
/// <c>verify-bundle &lt;file.zip&gt; --trust &lt;bank.pem|fingerprint&gt; [--tsa tsa.pem]</c>, <c>verify-checkpoints [--known N:hash]</c>,
/// <c>checkpoint</c>, <c>publish &lt;definition.json&gt;</c>. Exit code 0 when all is well, 1 when evidence fails a check, 2 for a usage error.
/// </summary>
public static class CliVerbs
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>Every verb the Host answers on its command line (besides <c>codegen</c>, which needs no Host at all).</summary>
    public static readonly IReadOnlyList<string> Verbs = ["replay", "verify", "verify-checkpoints", "checkpoint", "rebuild-summaries", "export", "verify-bundle", "schema", "validate", "import-elsa", "export-elsa", "publish"];
    private static readonly string[] OfflineVerbs = ["verify-bundle", "schema", "validate", "import-elsa", "export-elsa"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Verbs that need no database or configuration at all.</summary>
    public static bool IsOffline(string[] args) => args.Length > 0 && OfflineVerbs.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args, IServiceProvider? services, TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        if (services is not null)
        {
            // A database written by an earlier version has no checkpoint tables until a Host starts on it.
            await Integrity.Checkpoints.CheckpointTables.EnsureAsync(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), CancellationToken.None);
        }
        try
        {
            return args switch
            {
                ["verify-bundle", var file, .. var rest] => BundleVerbs.VerifyBundle(file, rest, console),
                ["schema"] => AuthoringVerbs.Schema(null, console),
                ["schema", var file] => AuthoringVerbs.Schema(file, console),
                ["validate", var target] => AuthoringVerbs.Validate(target, false, console),
                ["validate", var target, "--lang", var lang] => AuthoringVerbs.Validate(target, ProblemCatalog.WantsChinese(lang), console),
                ["import-elsa", var file, .. var rest] when Options(rest, "--partial") is var (partial, outFile) => InterchangeVerbs.Import(file, partial, outFile, console, output),
                ["export-elsa", var file, .. var rest] when Options(rest, null) is var (_, outFile) => InterchangeVerbs.Export(file, outFile, console, output),
                ["publish", var file] => await AuthoringVerbs.PublishAsync(file, services!, console),
                ["replay", var id] => await CaseVerbs.ReplayAsync(ParseId(id), null, services!, console),
                ["replay", var id, "--version", var version] => await CaseVerbs.ReplayAsync(ParseId(id), ParseVersion(version), services!, console),
                ["verify", "--all"] => await CaseVerbs.VerifyAllAsync(services!, console),
                ["verify-checkpoints"] => await CaseVerbs.VerifyCheckpointsAsync(null, services!, console),
                ["verify-checkpoints", "--known", var kept] => await CaseVerbs.VerifyCheckpointsAsync(ParseKnown(kept), services!, console),
                ["checkpoint"] => await CaseVerbs.CheckpointAsync(services!, console),
                ["rebuild-summaries"] => await CaseVerbs.RebuildSummariesAsync(services!, console),
                ["verify", var id] => await CaseVerbs.VerifyAsync(ParseId(id), services!, console),
                ["export", var id, var file] => await CaseVerbs.ExportAsync(ParseId(id), file, services!, console),
                _ => UsageError(console, $"'{string.Join(' ', args)}' is not a known form of the verb."),
            };
        }
        catch (UsageException ex)
        {
            return UsageError(console, ex.Message);
        }
    }

    /// <summary>Reads an optional flag and an optional <c>--out file</c> from the remaining arguments.</summary>
    private static (bool Flag, string? Out) Options(string[] rest, string? flag)
    {
        var known = rest.Where(a => a == flag).ToList();
        var outIndex = Array.IndexOf(rest, "--out");
        var consumed = known.Count + (outIndex >= 0 ? 2 : 0);
        if (consumed != rest.Length || (outIndex >= 0 && outIndex + 1 >= rest.Length))
        {
            throw new UsageException($"Unexpected arguments: {string.Join(' ', rest)}");
        }
        return (known.Count > 0, outIndex >= 0 ? rest[outIndex + 1] : null);
    }

    private static Guid ParseId(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new UsageException($"'{text}' is not a case id (a GUID such as 01a215c3-716f-7eb4-8342-82bc49dd948e).");

    private static (long, string) ParseKnown(string text) =>
        Integrity.Checkpoints.CheckpointsApi.TryParseKnown(text, out var known)
            ? known
            : throw new UsageException($"--known takes the checkpoint you kept as <number>:<SHA-256 hash>, e.g. 12:9f86d0…, not '{text}'.");

    private static long ParseVersion(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
            ? version
            : throw new UsageException($"--version takes a whole number from 1, not '{text}'.");

    internal static int UsageError(IAnsiConsole console, string problem)
    {
        console.MarkupLineInterpolated($"[red]{problem}[/]");
        console.WriteLine("usage: replay <caseId> [--version N] | verify <caseId>|--all | verify-checkpoints [--known N:hash] | checkpoint | rebuild-summaries | export <caseId> <file.zip> | verify-bundle <file.zip> --trust <bank.pem|fingerprint> [--tsa tsa.pem] [--allow-unanchored] | schema [file] | validate <file|folder> [--lang zh|en] | publish <definition.json> | import-elsa <file.json> [--partial] [--out file] | export-elsa <definition.json> [--out file]");
        return Usage;
    }

    private sealed class UsageException(string message) : Exception(message);
}
