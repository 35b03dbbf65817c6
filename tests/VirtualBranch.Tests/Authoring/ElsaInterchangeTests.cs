using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Interchange;
using VirtualBranch.Tests.Banking;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

public sealed class ElsaInterchangeTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static string Sample(string name) => ElsaImportTests.Sample(name);

    private static string Imported(string name)
    {
        var result = ElsaImporter.Import(Sample(name), partial: false);
        result.Issues.ShouldBeEmpty();
        return result.Definition!.ToJsonString();
    }

    [Fact]
    public void an_elsa_flowchart_converts_to_a_valid_definition()
    {
        var read = EngineKit.BankParser.Read(Imported("disbursement-flowchart.json"));
        read.Problems.ShouldBeEmpty();
        var definition = read.Definition!;
        definition.Id.ShouldBe("disbursement-approval");
        definition.Activities.Select(a => a.Type).ShouldBe(["start", "note", "set-variable", "decision", "fork", "timer", "wait-for-signal", "join", "switch", "end", "end", "end"]);
        definition.Activity("set-variable1")!.Text("value").ShouldBe("vars.Attempts + 1");
        definition.Activity("flow-decision1")!.Text("condition").ShouldBe("data.Amount > 0");
        definition.Activity("delay1")!.Text("duration").ShouldBe("PT2S");
        definition.Activity("fault1")!.Text("result").ShouldBe("failed");
        definition.Activity("write-line1")!.Title.ShouldBe("Log request");
        definition.Connections.ShouldContain(new VirtualBranch.Engine.Definitions.Connection("flow-switch1", "Large", "fault1"));
        definition.Variables["Attempts"].GetInt32().ShouldBe(0);
    }

    [Fact]
    public void the_older_flat_connection_shape_converts_too()
    {
        var definition = EngineKit.BankParser.Read(Imported("flat-connections.json")).Definition.ShouldNotBeNull();
        definition.Version.ShouldBe(2);
        definition.Connections.Select(c => $"{c.From}:{c.Outcome}:{c.To}").ShouldBe(["start1:done:write-line1", "write-line1:done:finish1"]);
    }

    [Fact]
    public void activities_that_do_not_map_are_reported_one_by_one_and_nothing_half_converted_comes_out()
    {
        var refused = ElsaImporter.Import(Sample("http-and-csharp.json"), partial: false);
        refused.Definition.ShouldBeNull();
        refused.Issues.Select(i => (i.ActivityId, i.ElsaType)).ShouldBe([("Http1", "Elsa.HttpEndpoint"), ("Script1", "Elsa.RunCSharp")]);
        refused.Issues[1].Reason.ShouldContain("C# scripts are not allowed");

        var partial = ElsaImporter.Import(Sample("http-and-csharp.json"), partial: true);
        var definition = EngineKit.BankParser.Read(partial.Definition!.ToJsonString()).Definition.ShouldNotBeNull();
        definition.Activities.Where(a => a.Title?.StartsWith(ElsaImporter.PlaceholderPrefix, StringComparison.Ordinal) == true).Select(a => a.Id).ShouldBe(["http1", "script1"]);
    }

    [Theory]
    [MemberData(nameof(DiagramTests.Definitions), MemberType = typeof(DiagramTests))]
    public void every_scenario_survives_export_to_elsa_and_back(string id)
    {
        var original = EngineKit.BankParser.Read(File.ReadAllText(Path.Combine(ScenarioDefinitionTests.Folder, $"{id}.json"))).Definition!;
        var elsa = JsonDocument.Parse(ElsaExporter.Export(original)).RootElement;
        ElsaShape.Check(elsa, original);
        var back = ElsaImporter.Import(elsa.GetRawText(), partial: false);
        back.Issues.ShouldBeEmpty();
        EngineKit.BankParser.Read(back.Definition!.ToJsonString()).Definition!.ContentHash.ShouldBe(original.ContentHash);
    }

    [Fact]
    public async Task a_converted_elsa_flowchart_runs_as_a_case()
    {
        var analyst = await host.ClientFor("analyst");
        var published = await analyst.PostAsync("/api/definitions", new StringContent(Imported("disbursement-flowchart.json"), Encoding.UTF8, "application/json"));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("disbursement-approval", new Dictionary<string, object> { ["Amount"] = 5000 });
        opened.GetProperty("variables").GetProperty("Attempts").GetInt32().ShouldBe(1);
        var core = await host.ClientFor("corebanking");
        var signalled = await core.PostAsJsonAsync($"/api/cases/{opened.Id()}/signals/CoreBankingConfirmed", new { });
        signalled.StatusCode.ShouldBe(HttpStatusCode.OK, $"{await signalled.Content.ReadAsStringAsync()} {opened}");
        var closed = await teller.WaitUntilClosed(opened.Id(), TimeSpan.FromSeconds(90));
        closed.GetProperty("status").GetString().ShouldBe("completed");
    }

    private async Task<JsonElement> RunAsCase(string sample, object data)
    {
        var analyst = await host.ClientFor("analyst");
        var published = await analyst.PostAsync("/api/definitions", new StringContent(Imported(sample), Encoding.UTF8, "application/json"));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        var definitionId = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase(definitionId, data);
        return await teller.WaitUntilClosed(opened.Id(), TimeSpan.FromSeconds(30));
    }

    private async Task<JsonElement> Timeline(Guid id) =>
        await (await host.ClientFor("regulator")).GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline?reason=elsa-import-test");

    [Fact]
    public async Task a_flowchart_with_no_start_and_a_counter_loop_runs_as_elsa_runs_it_and_gives_the_count_back()
    {
        var closed = await RunAsCase("v3.0-counter-loop.json", new { });
        closed.GetProperty("status").GetString().ShouldBe("completed");
        closed.GetProperty("variables").GetProperty("counter").GetInt32().ShouldBe(3);
        closed.GetProperty("output").GetProperty("Rounds").GetInt32().ShouldBe(3, "Elsa's SetOutput becomes the case output");
        var steps = (await Timeline(closed.Id())).GetProperty("steps").EnumerateArray().ToList();
        steps.Count(s => s.GetProperty("stepId").GetString() == "set-variable1").ShouldBe(3);
        steps.Single(s => s.GetProperty("stepId").GetString() == "set-output1").GetProperty("records").EnumerateArray().Select(r => r.GetString()).ShouldBe(["output Rounds = 3"]);
    }

    [Fact]
    public async Task a_loop_that_never_ends_fails_its_step_with_the_bound_instead_of_running_forever()
    {
        var endless = Sample("v3.0-counter-loop.json").Replace("getCounter() < 3", "true", StringComparison.Ordinal).Replace("\"CounterLoop\"", "\"EndlessLoop\"", StringComparison.Ordinal);
        var analyst = await host.ClientFor("analyst");
        var converted = ElsaImporter.Import(endless, partial: false).Definition!.ToJsonString();
        (await analyst.PostAsync("/api/definitions", new StringContent(converted, Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("endless-loop", new { });
        opened.GetProperty("status").GetString().ShouldBe("faulted");
        opened.GetProperty("fault").GetProperty("error").GetString().ShouldBe(
            "Step 'set-variable1' would be step 1,001 run in one command, past the limit of 1,000 (policies.maxStepsPerCommand): the flow loops without waiting.");
    }

    [Fact]
    public async Task a_fork_with_object_branches_runs_both_branches_and_joins_them()
    {
        var closed = await RunAsCase("v3.3-fork-object-branches.json", new { });
        closed.GetProperty("status").GetString().ShouldBe("completed");
        closed.GetProperty("output").GetProperty("Joined").GetString().ShouldBe("one+two");
    }

    [Fact]
    public async Task a_sequence_root_runs_in_its_order_and_ends_with_complete_s_outcomes()
    {
        var closed = await RunAsCase("v3.6-sequence-root.json", new { });
        closed.GetProperty("status").GetString().ShouldBe("completed");
        var output = closed.GetProperty("output");
        output.GetProperty("Doubled").GetInt32().ShouldBe(40);
        output.GetProperty("Total").GetInt32().ShouldBe(20);
        output.GetProperty("outcomes").EnumerateArray().Select(o => o.GetString()).ShouldBe(["Approved"]);
    }

    [Fact]
    public async Task a_flat_flowchart_with_no_start_runs_from_the_activity_with_no_inbound_connection()
    {
        var closed = await RunAsCase("flat-no-start.json", new { });
        closed.GetProperty("status").GetString().ShouldBe("completed");
        closed.GetProperty("variables").GetProperty("greeted").GetBoolean().ShouldBeTrue();
        var steps = (await Timeline(closed.Id())).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("stepId").GetString()).ToList();
        steps.ShouldBe(["start", "hello1", "mark1", "done1"]);
    }

    [Theory]
    [InlineData("v3.0-counter-loop.json", false, 0)]
    [InlineData("not-json", false, 3)]
    [InlineData("v3.6-csharp-liquid.json", false, 4)]
    [InlineData("no-start-activity", false, 5)]
    [InlineData("v3.6-csharp-liquid.json", true, 6)]
    public async Task import_elsa_writes_only_what_it_says_and_its_exit_code_says_which(string sample, bool partial, int exit)
    {
        var folder = Directory.CreateTempSubdirectory("elsa-import-").FullName;
        var input = Path.Combine(folder, "in.json");
        await File.WriteAllTextAsync(input, sample switch
        {
            "not-json" => "{ \"root\": [",
            // Everything converts, but our definition refuses a second start.
            "no-start-activity" => Sample("flat-connections.json").Replace("\"Elsa.Finish\"", "\"Elsa.Start\"", StringComparison.Ordinal),
            _ => Sample(sample),
        });
        var output = Path.Combine(folder, "out.json");
        using var console = new StringWriter();
        string[] args = partial ? ["import-elsa", input, "--partial", "--out", output] : ["import-elsa", input, "--out", output];
        (await VirtualBranch.Host.Cli.CliVerbs.RunAsync(args, null, console)).ShouldBe(exit, console.ToString());
        File.Exists(output).ShouldBe(exit is 0 or 6, console.ToString());
        console.ToString().ShouldContain(exit switch
        {
            0 => "wrote",
            3 => "Not an Elsa workflow; nothing was written.",
            4 => "Nothing was written: 4 things do not carry over.",
            5 => "Nothing was written: the converted definition has",
            _ => "Partial: 4 placeholder(s)",
        });
    }

    [Fact]
    public async Task the_import_endpoint_reports_each_activity_and_refuses_what_is_no_elsa_workflow_with_problem_details()
    {
        var analyst = await host.ClientFor("analyst");
        var scripted = await analyst.PostAsync("/api/definitions/import-elsa", new StringContent(Sample("v3.6-csharp-liquid.json"), Encoding.UTF8, "application/json"));
        scripted.StatusCode.ShouldBe(HttpStatusCode.OK, await scripted.Content.ReadAsStringAsync());
        var report = await scripted.Content.ReadFromJsonAsync<JsonElement>();
        report.GetProperty("definition").ValueKind.ShouldBe(JsonValueKind.Null);
        report.GetProperty("issues").GetArrayLength().ShouldBe(4);
        report.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("fate").GetString()).ShouldBe(["converted", "not-converted", "not-converted", "not-converted"]);

        var partial = await (await analyst.PostAsync("/api/definitions/import-elsa?partial=true", new StringContent(Sample("v3.6-csharp-liquid.json"), Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        partial.GetProperty("definition").GetProperty("id").GetString().ShouldBe("scripted-greeting");
        partial.GetProperty("validation").GetProperty("valid").GetBoolean().ShouldBeTrue();

        var broken = await (await analyst.PostAsync("/api/definitions/import-elsa", new StringContent("{ \"root\": ", Encoding.UTF8, "application/json"))).Problem(HttpStatusCode.BadRequest);
        broken.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("$");
        broken.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldStartWith("not valid JSON");
        (await (await analyst.GetAsync("/api/definitions/scripted-greeting/versions")).Problem(HttpStatusCode.NotFound)).ShouldNotBe(default, "importing stores nothing");
        (await (await host.ClientFor("teller")).PostAsync("/api/definitions/import-elsa", new StringContent(Sample("flat-no-start.json"), Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
