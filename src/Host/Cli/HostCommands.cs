using System.CommandLine;
using System.CommandLine.Help;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Host.Cli;

/// <summary>
/// Every verb of the Host's command line, declared once: its name, what it does, its arguments and options, and what it
/// runs. Parsing, <c>--help</c>, completion, usage errors and the docs test all read this one tree.
/// </summary>
internal static class HostCommands
{
    public static RootCommand Build(VerbRun run)
    {
        var root = new RootCommand("VirtualBranch's command-line verbs for analysts, regulators and operators. Without a verb the Host serves the web application.")
        {
            Schema(run), Validate(run), ImportElsa(run), ExportElsa(run), Publish(run),
            Replay(run), Verify(run), VerifyCheckpoints(run), Checkpoint(run), RebuildSummaries(run), Export(run), VerifyBundle(run),
            RetentionSweep(run), Codegen(run),
        };
        // The Host reads --version as a setting (and never routes it here); the replay verb has its own.
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        // No verb at all (the Host starts its server then, so only a caller in this process gets here): the list of verbs.
        root.SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            return CliVerbs.Usage;
        });
        return root;
    }

    private static Command Schema(VerbRun run)
    {
        var file = new Argument<string?>("file") { Description = "where to write it [default: definitions/schema.json]", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("schema", "Regenerate the definitions' JSON Schema from the activity descriptors (no database).") { file };
        command.SetAction(parse => AuthoringVerbs.Schema(parse.GetValue(file), run.Console));
        return command;
    }

    private static Command Validate(VerbRun run)
    {
        var target = VerbValues.File("file|folder", "a definition, or a folder of them");
        var lang = new Option<string>("--lang") { Description = "the language of the problems: zh or en", HelpName = "zh|en", DefaultValueFactory = _ => "en" };
        lang.CompletionSources.Add("zh", "en");
        var command = new Command("validate", "List every problem of each definition (no database).") { target, lang };
        command.SetAction(parse => AuthoringVerbs.Validate(parse.GetRequiredValue(target), ProblemCatalog.WantsChinese(parse.GetValue(lang)), run.Console));
        return command;
    }

    private static Command ImportElsa(VerbRun run)
    {
        var file = VerbValues.File("file.json", "an Elsa 3 workflow definition (JSON export)");
        var partial = new Option<bool>("--partial") { Description = "write it even with placeholders or problems (exit 6)" };
        var output = VerbValues.Out("where to write the definition [default: standard output]");
        var command = new Command("import-elsa", "Convert an Elsa 3 export into a definition (no database; exit 3-6 say what did not convert).") { file, partial, output };
        command.SetAction(parse => InterchangeVerbs.Import(parse.GetRequiredValue(file), parse.GetValue(partial), parse.GetValue(output), run.Console, run.Output));
        return command;
    }

    private static Command ExportElsa(VerbRun run)
    {
        var file = VerbValues.File("definition.json", "a definition");
        var output = VerbValues.Out("where to write the Elsa 3 JSON [default: standard output]");
        var command = new Command("export-elsa", "Write a definition as Elsa 3 JSON (no database).") { file, output };
        command.SetAction(parse => InterchangeVerbs.Export(parse.GetRequiredValue(file), parse.GetValue(output), run.Console, run.Output));
        return command;
    }

    private static Command Publish(VerbRun run)
    {
        var file = VerbValues.File("definition.json", "the definition to publish");
        var command = new Command("publish", "Validate and store a new version of a definition; every running Host serves it within a second.") { file };
        command.SetAction(async (parse, _) => await AuthoringVerbs.PublishAsync(parse.GetRequiredValue(file), await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command Replay(VerbRun run)
    {
        var id = VerbValues.CaseId("the case to replay");
        var version = VerbValues.Version("the stream version to replay to [default: the latest]");
        var command = new Command("replay", "Print a case's timeline as a table and its state at a version.") { id, version };
        command.SetAction(async (parse, _) => await CaseVerbs.ReplayAsync(parse.GetValue(id), parse.GetValue(version), await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command Verify(VerbRun run)
    {
        var id = VerbValues.OptionalCaseId("the case to verify (chain, files, seals, its checkpoint anchor)");
        var all = new Option<bool>("--all") { Description = "verify the checkpoint log, then every case, on every core" };
        var command = new Command("verify", "Verify one case, or with --all the checkpoint log and every case.") { id, all };
        command.Validators.Add(result =>
        {
            var named = result.GetResult(id) is { Tokens.Count: > 0 };
            if (named == result.GetValue(all))
            {
                result.AddError(named ? "verify takes a case id or --all, not both." : "verify needs a case id, or --all for every case.");
            }
        });
        command.SetAction(async (parse, _) => parse.GetValue(id) is { } one
            ? await CaseVerbs.VerifyAsync(one, await run.ServicesAsync(), run.Console)
            : await CaseVerbs.VerifyAllAsync(await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command VerifyCheckpoints(VerbRun run)
    {
        var known = VerbValues.KnownCheckpoint("a checkpoint you kept, to check the log from [default: the first]");
        var command = new Command("verify-checkpoints", "Check the checkpoint log and print the latest checkpoint to keep.") { known };
        command.SetAction(async (parse, _) => await CaseVerbs.VerifyCheckpointsAsync(parse.GetValue(known), await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command Checkpoint(VerbRun run)
    {
        var command = new Command("checkpoint", "Write a checkpoint now over every case changed since the last one.");
        command.SetAction(async (_, _) => await CaseVerbs.CheckpointAsync(await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command RebuildSummaries(VerbRun run)
    {
        var command = new Command("rebuild-summaries", "Rebuild the queues' case summaries from the case streams alone (run it while no commands are handled).");
        command.SetAction(async (_, _) => await CaseVerbs.RebuildSummariesAsync(await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command RetentionSweep(VerbRun run)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "list the cases whose retention has ended and their files; change nothing" };
        var erase = new Option<bool>("--erase") { Description = "erase them: destroy each case's data key, delete its files, record the erasure" };
        var command = new Command("retention-sweep", "Erase the personal data of closed cases whose retention has ended and that are not on legal hold (what the nightly job does).")
        {
            dryRun, erase,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(dryRun) == result.GetValue(erase))
            {
                result.AddError("Say what to do: --dry-run to list what would be erased, or --erase to erase it (one of them).");
            }
        });
        command.SetAction(async (parse, _) => await CaseVerbs.RetentionSweepAsync(parse.GetValue(dryRun), await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command Export(VerbRun run)
    {
        var id = VerbValues.CaseId("the case to export");
        var file = VerbValues.File("file.zip", "where to write the bundle");
        var command = new Command("export", "Write a case's signed evidence bundle.") { id, file };
        command.SetAction(async (parse, _) => await CaseVerbs.ExportAsync(parse.GetValue(id), parse.GetRequiredValue(file), await run.ServicesAsync(), run.Console));
        return command;
    }

    private static Command VerifyBundle(VerbRun run)
    {
        var file = VerbValues.File("file.zip", "the evidence bundle");
        var trust = new Option<string?>("--trust") { Description = "required: the bank's certificates (a PEM file) or the SHA-256 fingerprint of its signing certificate", HelpName = "bank.pem|fingerprint" };
        var tsa = new Option<string?>("--tsa") { Description = "the timestamp authority's certificates (PEM)", HelpName = "tsa.pem" };
        var allowUnanchored = new Option<bool>("--allow-unanchored") { Description = "accept a bundle of format 1 (exported before checkpoints), which carries no anchor" };
        var command = new Command("verify-bundle", "Check an evidence bundle offline against the bank's pinned certificate (no database, no configuration).") { file, trust, tsa, allowUnanchored };
        command.Validators.Add(result =>
        {
            if (result.GetResult(trust) is null)
            {
                result.AddError("verify-bundle needs the trust anchor: --trust <bank.pem> (the bank's certificates) or --trust <SHA-256 fingerprint of the signing certificate>.");
            }
        });
        command.SetAction(parse => BundleVerbs.Verify(parse.GetRequiredValue(file), parse.GetRequiredValue(trust)!, parse.GetValue(tsa), parse.GetValue(allowUnanchored), run.Console));
        return command;
    }

    private static Command Codegen(VerbRun run)
    {
        var folder = new Option<string?>("--out") { Description = "where to write it [default: src/Host/Internal/Generated]", HelpName = "folder" };
        var command = new Command("codegen", "Write Wolverine's message-handler code for Release builds (no database, no configuration).") { folder };
        command.SetAction(parse => run.Host.WriteHandlerCode(parse.GetValue(folder), run.Output));
        return command;
    }
}
