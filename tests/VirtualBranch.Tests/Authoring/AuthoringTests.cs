using System.Text.Json;
using Json.Schema;
using Shouldly;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Banking;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

public sealed class AuthoringTests
{
    [Fact]
    public void the_committed_schema_is_the_one_the_descriptors_generate()
    {
        var committed = File.ReadAllText(Path.Combine(ScenarioDefinitionTests.Folder, "schema.json"));
        committed.ShouldBe(DefinitionSchema.Generate(EngineKit.Get<ActivityRegistry>(), EngineKit.Get<IEnumerable<IDefinitionRule>>()),
            "definitions/schema.json is stale: run `dotnet src/Host/bin/Release/net10.0/VirtualBranch.Host.dll schema`");
    }

    [Fact]
    public void the_schema_describes_exactly_the_fields_the_parser_reads()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(DefinitionSchema.Generate(EngineKit.Get<ActivityRegistry>(), EngineKit.Get<IEnumerable<IDefinitionRule>>()))!;
        schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(DefinitionParser.KnownFields.Order(StringComparer.Ordinal));
        schema["properties"]!["id"]!["pattern"]!.GetValue<string>().ShouldBe(DefinitionParser.IdFormat);
    }

    [Fact]
    public void every_definition_names_the_schema_and_passes_it()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(ScenarioDefinitionTests.Folder, "schema.json")), new BuildOptions());
        foreach (var file in DefinitionSchema.DefinitionFilesIn(ScenarioDefinitionTests.Folder))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            document.RootElement.GetProperty("$schema").GetString().ShouldBe("./schema.json", file);
            schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid.ShouldBeTrue(file);
        }
        var broken = JsonDocument.Parse("""{ "id": "x", "version": 1, "name": "x", "inputs": {}, "connections": [], "activities": [ { "id": "d", "type": "decision", "inputs": { "conditon": "1" } } ] }""");
        schema.Evaluate(broken.RootElement).IsValid.ShouldBeFalse("a misspelt input is caught by the editor");
    }

    private static FlowBuilder Recorded(bool recorded)
    {
        var flow = new FlowBuilder().Activity("video", "video-session", new { deadline = "PT30M" });
        if (recorded)
        {
            flow.Activity("rec", "start-recording");
        }
        flow.Activity("will", "willingness-confirmation", new { questions = new[] { new { id = "q", text = "q?", expected = "yes" } } })
            .Activity("ok", "end").Activity("no", "end", new { result = "declined" })
            .Connect("start", "done", "video").Connect("video", "started", recorded ? "rec" : "will");
        if (recorded)
        {
            flow.Connect("rec", "done", "will");
        }
        return flow.Connect("will", "confirmed", "ok").Connect("will", "declined", "no");
    }

    [Fact]
    public void lint_willingness_and_e_signature_must_be_recorded()
    {
        EngineKit.BankParser.Read(Recorded(true).Json()).Problems.ShouldBeEmpty();
        var problem = EngineKit.BankParser.Read(Recorded(false).Json()).Problems.ShouldHaveSingleItem();
        problem.Code.ShouldBe("unrecorded-step");
        problem.Path.ShouldBe("$.activities[2]");
    }

    [Fact]
    public void lint_money_moving_scenarios_need_a_verified_identity_before_completion()
    {
        var json = new FlowBuilder().Activity("finish", "end").Connect("start", "done", "finish").Json().Replace("\"variables\"", "\"policies\":{\"movesMoney\":true},\"variables\"");
        EngineKit.BankParser.Read(json).Problems.ShouldHaveSingleItem().Code.ShouldBe("identity-missing");
    }

    [Fact]
    public void lint_approval_by_the_working_role_and_waiting_without_deadline()
    {
        var flow = new FlowBuilder()
            .Activity("work", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
            .Activity("approve", "approval", new { role = "teller" })
            .Activity("ok", "end").Chain("start", "work", "approve").Connect("approve", "approved", "ok");
        EngineKit.BankParser.Read(flow.Json()).Problems.Select(p => (p.Code, p.Path)).ShouldBe(
            [("approval-same-role", "$.activities[2].inputs.role"), ("missing-deadline", "$.activities[2].inputs.deadline")], ignoreOrder: true);
    }

    [Fact]
    public void every_problem_code_has_a_chinese_sentence()
    {
        foreach (var code in typeof(ProblemCodes).GetFields().Select(f => (string)f.GetValue(null)!))
        {
            ProblemCatalog.Codes.ShouldContain(code);
            ProblemCatalog.Message(new DefinitionProblem("$.x", code, "english"), chinese: true).ShouldNotContain("english");
        }
        // The bank's compliance rules live in Workflows, and each brings its own sentence with its problems.
        var rules = typeof(Workflows.Compliance.RecordedSpanRule).Assembly.GetTypes().Where(t => t.IsAssignableTo(typeof(IDefinitionRule))).ToList();
        rules.Count.ShouldBe(4);
        foreach (var rule in rules)
        {
            rule.GetField("Chinese")?.GetValue(null).ShouldBeOfType<string>().ShouldMatch(@"\p{IsCJKUnifiedIdeographs}", rule.Name);
        }
        var flow = new FlowBuilder()
            .Activity("work", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
            .Activity("approve", "approval", new { role = "teller" })
            .Activity("ok", "end").Chain("start", "work", "approve").Connect("approve", "approved", "ok");
        EngineKit.BankParser.Read(flow.Json()).Problems.Select(p => ProblemCatalog.Message(p, chinese: true))
            .ShouldBe(["$.activities[2].inputs.role：审批角色不能与经办角色相同（双人复核）。", "$.activities[2].inputs.deadline：等待步骤必须设置期限，避免案件无限期等待。"], ignoreOrder: true);
    }

    [Fact]
    public async Task validate_a_folder_of_broken_definitions_gives_one_precise_line_per_problem()
    {
        var folder = Directory.CreateTempSubdirectory("vb-broken-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a-bad-json.json"), "{ \"id\": ", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "b-unknown-type.json"),
            new FlowBuilder("b").Activity("x", "teleport").Connect("start", "done", "x").Json(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "c-two-problems.json"),
            new FlowBuilder("c").Activity("d", "decision", new { condition = "((" }).Activity("island", "end").Connect("start", "done", "d").Json(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "d-deep.json"), new string('[', 5000) + new string(']', 5000), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "e-huge.json"), "{\"id\":\"" + new string('x', 5_000_000) + "\"}", TestContext.Current.CancellationToken);
        using var output = new StringWriter();
        (await CliVerbs.RunAsync(["validate", folder], null, output)).ShouldBe(CliVerbs.Failed);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ShouldBe(6);
        lines.ShouldContain(l => l.Contains("a-bad-json.json") && l.Contains("[invalid-json]"));
        lines.ShouldContain(l => l.Contains("b-unknown-type.json") && l.Contains("$.activities[1].type") && l.Contains("[unknown-activity-type]"));
        lines.ShouldContain(l => l.Contains("c-two-problems.json") && l.Contains("[expression-syntax]"));
        lines.ShouldContain(l => l.Contains("c-two-problems.json") && l.Contains("[unreachable-activity]"));
        lines.ShouldContain(l => l.Contains("d-deep.json") && l.Contains("deeper than 64"));
        lines.ShouldContain(l => l.Contains("e-huge.json") && l.Contains("[too-large]"));
        lines[^1].ShouldBe("5 definitions, 0 valid, 5 with problems");

        using var chinese = new StringWriter();
        await CliVerbs.RunAsync(["validate", folder, "--lang", "zh"], null, chinese);
        chinese.ToString().ShouldContain("未知的活动类型");
    }
}
