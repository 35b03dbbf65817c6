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
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Authoring", "Elsa", name));

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

    [Fact]
    public void import_then_export_then_import_gives_the_same_definition()
    {
        var first = EngineKit.BankParser.Read(Imported("disbursement-flowchart.json")).Definition!;
        var again = ElsaImporter.Import(ElsaExporter.Export(first), partial: false);
        again.Issues.ShouldBeEmpty();
        EngineKit.BankParser.Read(again.Definition!.ToJsonString()).Definition!.ContentHash.ShouldBe(first.ContentHash);
    }

    [Theory]
    [MemberData(nameof(DiagramTests.Definitions), MemberType = typeof(DiagramTests))]
    public void every_scenario_survives_export_to_elsa_and_back(string id)
    {
        var original = EngineKit.BankParser.Read(File.ReadAllText(Path.Combine(ScenarioDefinitionTests.Folder, $"{id}.json"))).Definition!;
        var elsa = JsonDocument.Parse(ElsaExporter.Export(original)).RootElement;
        elsa.GetProperty("root").GetProperty("type").GetString().ShouldBe("Elsa.Flowchart");
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
}
