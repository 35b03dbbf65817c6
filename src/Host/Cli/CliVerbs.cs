using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;

namespace VirtualBranch.Host.Cli;

/// <summary>
/// The Host's command line for analysts, regulators and operators: the verbs declared in <see cref="HostCommands"/>, each
/// with its own <c>--help</c>. Exit code 0 when all is well, 1 when evidence fails a check, 2 for a usage error (an unknown
/// verb or option, a missing or malformed argument: said in one line, followed by the verb's help).
/// </summary>
public static class CliVerbs
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly string[] HelpWords = ["--help", "-h", "-?", "/h", "/?"];

    /// <summary>Every verb the Host answers on its command line, as <see cref="HostCommands"/> declares them.</summary>
    public static IReadOnlyList<string> Verbs { get; } =
        [.. HostCommands.Build(new VerbRun(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null, VerbHost.Of(null)))
            .Subcommands.Select(c => c.Name)];

    /// <summary>
    /// Whether these arguments are for the command line rather than the web server. The server's own arguments are options
    /// (<c>--urls</c>, <c>/urls</c>) or <c>key=value</c> settings; a first word that is neither names a verb (a mistyped one is
    /// said, not taken for a server start), and <c>--help</c> or a directive such as <c>[suggest]</c> asks the command line.
    /// </summary>
    public static bool IsCommandLine(string[] args) => args is [var first, ..]
        && (HelpWords.Contains(first) || first is ['[', .., ']'] || !(first.StartsWith('-') || first.StartsWith('/') || first.Contains('=')));

    /// <summary>Runs a verb against a Host already built (or none, for the verbs that need no database).</summary>
    public static Task<int> RunAsync(string[] args, IServiceProvider? services, TextWriter output) => RunAsync(VerbHost.Of(services), args, output);

    /// <summary>Runs a verb in a process of its own, which builds what the verb asks for.</summary>
    internal static async Task<int> RunAsync(VerbHost host, string[] args, TextWriter output)
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
        // "@file" is a file name here, never a file of more arguments.
        var parse = HostCommands.Build(new VerbRun(console, output, host)).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // Exceptions reach the Host's launcher, which explains the ones an operator can fix; Ctrl-C stops a verb at once, as before.
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        // A parse error is said (with a likely verb for a mistyped one) and followed by the help of the verb it concerns.
        return parse.Action is ParseErrorAction ? Usage : exit;
    }

    /// <summary>A problem found once the arguments were read (a file that is not there, a trust anchor that is no certificate).</summary>
    internal static int UsageError(IAnsiConsole console, string problem)
    {
        console.MarkupLineInterpolated($"[red]{problem}[/]");
        return Usage;
    }
}
