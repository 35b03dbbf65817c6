using System.Text.RegularExpressions;
using Shouldly;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>
/// The Host's command line as its reader meets it: help for all verbs and for each, and a usage error (exit 2) that names
/// what was wrong. None of these reach a database: the arguments are refused before any verb runs.
/// </summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output)> Run(params string[] args)
    {
        using var output = new StringWriter();
        var exit = await CliVerbs.RunAsync(args, null, output);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task help_lists_every_verb_with_a_line_saying_what_it_does()
    {
        var (exit, output) = await Run("--help");
        exit.ShouldBe(CliVerbs.Ok, output);
        CliVerbs.Verbs.ShouldBe(["schema", "validate", "import-elsa", "export-elsa", "publish", "replay", "verify", "verify-checkpoints", "checkpoint",
            "rebuild-summaries", "export", "verify-bundle", "retention-sweep", "codegen"]);
        foreach (var verb in CliVerbs.Verbs)
        {
            output.ShouldMatch($@"(?m)^  {Regex.Escape(verb)}( <[^>]+>)* {{2,}}[A-Z]\w+ ", $"{verb} has no line of its own in the help");
        }
    }

    [Theory]
    [InlineData("verify-bundle", "<file.zip>", "--trust <bank.pem|fingerprint>", "--tsa <tsa.pem>", "--allow-unanchored")]
    [InlineData("replay", "<caseId>", "--version <N>", "[default: the latest]")]
    [InlineData("import-elsa", "<file.json>", "--partial", "--out <file>")]
    [InlineData("validate", "<file|folder>", "--lang <zh|en>", "[default: en]")]
    [InlineData("codegen", "--out <folder>", "[default: src/Host/Internal/Generated]")]
    public async Task a_verbs_help_shows_its_arguments_and_options(string verb, params string[] shown)
    {
        var (exit, output) = await Run(verb, "--help");
        exit.ShouldBe(CliVerbs.Ok, output);
        output.ShouldMatch($@"Usage:\s+\S+ {Regex.Escape(verb)} ", "the usage line names the verb (after the program's name, which differs in tests)");
        foreach (var item in shown)
        {
            output.ShouldContain(item, Case.Sensitive);
        }
    }

    [Theory]
    [InlineData("'replai' was not matched. Did you mean one of the following?\nreplay\n", "replai")]
    [InlineData("Unrecognized command or argument 'replai'.", "replai")]
    [InlineData("Required argument missing for command: 'export'.", "export", "01a215c3-716f-7eb4-8342-82bc49dd948e")]
    [InlineData("Required argument missing for command: 'publish'.", "publish")]
    [InlineData("Unrecognized command or argument '--partail'.", "import-elsa", "in.json", "--partail")]
    [InlineData("Unrecognized command or argument '--now'.", "rebuild-summaries", "--now")]
    [InlineData("'nope' is not a case id (a GUID such as", "replay", "nope")]
    [InlineData("--version takes a whole number from 1, not 'zero'.", "replay", "01a215c3-716f-7eb4-8342-82bc49dd948e", "--version", "zero")]
    [InlineData("--known takes the checkpoint you kept as <number>:<SHA-256 hash>", "verify-checkpoints", "--known", "twelve")]
    [InlineData("verify needs a case id, or --all for every case.", "verify")]
    [InlineData("verify takes a case id or --all, not both.", "verify", "01a215c3-716f-7eb4-8342-82bc49dd948e", "--all")]
    [InlineData("verify-bundle needs the trust anchor: --trust <bank.pem>", "verify-bundle", "case.zip")]
    [InlineData("Required argument missing for option: '--trust'.", "verify-bundle", "case.zip", "--trust")]
    public async Task a_usage_error_names_what_was_wrong_and_shows_the_usage(string said, params string[] args)
    {
        var (exit, written) = await Run(args);
        exit.ShouldBe(CliVerbs.Usage, written);
        var output = written.ReplaceLineEndings("\n");
        output.ShouldContain(said, Case.Sensitive);
        output.ShouldMatch($@"Usage:\n  \S+ {(args[0] == "replai" ? @"\[command\]" : Regex.Escape(args[0]))} ", "the help of the verb (or, for no verb, of all verbs) follows");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(false, "--urls", "http://127.0.0.1:0", "--environment", "Production")]
    [InlineData(false, "/urls", "http://127.0.0.1:0")]
    [InlineData(false, "Engine:CreateDemoAccounts=true")]
    [InlineData(true, "replay")]
    [InlineData(true, "replai")]
    [InlineData(true, "--help")]
    [InlineData(true, "-h")]
    [InlineData(true, "[suggest:4]", "veri")]
    public void the_web_servers_own_arguments_never_reach_the_command_line(bool commandLine, params string[] args) =>
        CliVerbs.IsCommandLine(args).ShouldBe(commandLine);

    [Fact]
    public async Task a_mistyped_verb_is_refused_instead_of_starting_a_server()
    {
        var (exit, output, errors) = await HostProcess.RunToExitAsync(["replai", "--all"]);
        exit.ShouldBe(CliVerbs.Usage, errors);
        output.ShouldContain("Unrecognized command or argument 'replai'.", Case.Sensitive);
        output.ShouldNotContain("Now listening on", Case.Sensitive);
    }

    [Fact]
    public async Task a_verb_that_cannot_reach_its_database_says_so_in_one_line()
    {
        var (exit, output, errors) = await HostProcess.RunToExitAsync(["verify", "--all"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = $"Host=127.0.0.1;Port={HostProcess.FreePort()};Database=x;Username=x;Password=x",
            ["Engine__DataDirectory"] = Directory.CreateTempSubdirectory("vb-cli-nodb-").FullName,
        });
        exit.ShouldBe(1, output);
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith("VirtualBranch cannot start: cannot reach PostgreSQL at 127.0.0.1:");
    }
}
