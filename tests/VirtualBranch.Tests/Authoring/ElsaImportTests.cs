using System.Text.Json.Nodes;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Interchange;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

/// <summary>Elsa 3 workflows as Elsa 3.0, 3.3 and 3.6 write them, in both connection shapes, converted without a database.</summary>
public sealed class ElsaImportTests
{
    public static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Authoring", "Elsa", name));

    /// <summary>Every sample that converts completely, for the round trip.</summary>
    public static TheoryData<string> Importable => new(
        "disbursement-flowchart.json", "flat-connections.json", "flat-no-start.json",
        "v3.0-counter-loop.json", "v3.3-fork-object-branches.json", "v3.6-sequence-root.json", "v3.6-start-property-literals.json");

    public static WorkflowDefinition Definition(string sample)
    {
        var result = ElsaImporter.Import(Sample(sample), partial: false);
        result.Issues.ShouldBeEmpty(sample);
        var read = EngineKit.BankParser.Read(result.Definition!.ToJsonString());
        read.Problems.ShouldBeEmpty(sample);
        return read.Definition!;
    }

    private static string Edges(WorkflowDefinition d) => string.Join(" ", d.Connections.Select(c => $"{c.From}:{c.Outcome}:{c.To}"));

    [Fact]
    public void elsa_3_0_flowchart_without_start_begins_at_the_activity_with_no_inbound_connection_and_translates_generated_accessors()
    {
        var result = ElsaImporter.Import(Sample("v3.0-counter-loop.json"), partial: false);
        result.Activities[0].ShouldSatisfyAllConditions(
            a => a.Fate.ShouldBe("added"), a => a.StepId.ShouldBe("start"),
            a => a.Note!.ShouldContain("Elsa starts at 'WriteLine1' because it is the first activity with no inbound connection"));
        var definition = Definition("v3.0-counter-loop.json");
        Edges(definition).ShouldBe("start:done:write-line1 write-line1:done:set-variable1 set-variable1:done:flow-decision1 flow-decision1:true:set-variable1 flow-decision1:false:set-output1");
        definition.Activity("set-variable1")!.Text("value").ShouldBe("vars.counter + 1");
        definition.Activity("flow-decision1")!.Text("condition").ShouldBe("vars.counter < 3");
        definition.Activity("set-output1")!.ShouldSatisfyAllConditions(a => a.Type.ShouldBe("set-output"), a => a.Text("name").ShouldBe("Rounds"), a => a.Text("value").ShouldBe("vars.counter"));
        definition.Variables["counter"].GetInt32().ShouldBe(0);
        definition.Outputs.GetProperty("properties").GetProperty("Rounds").GetProperty("type").GetString().ShouldBe("integer");
        var read = EngineKit.BankParser.Read(result.Definition!.ToJsonString());
        read.Warnings.ShouldHaveSingleItem().Code.ShouldBe(ProblemCodes.LoopWithoutWait);
    }

    [Fact]
    public void elsa_3_3_fork_takes_its_branches_from_an_object_expression_and_starts_where_can_start_workflow_says()
    {
        var result = ElsaImporter.Import(Sample("v3.3-fork-object-branches.json"), partial: false);
        result.Activities.Single(a => a.ElsaId == "Aside1").ShouldSatisfyAllConditions(
            a => a.Fate.ShouldBe("not-converted"), a => a.Note!.ShouldContain("Elsa never runs it"));
        result.Activities.Single(a => a.Fate == "added").Note!.ShouldContain("'FlowFork1' because it is marked canStartWorkflow");
        var definition = Definition("v3.3-fork-object-branches.json");
        definition.Version.ShouldBe(3);
        definition.Activity("flow-fork1")!.Input("branches")!.Value.GetRawText().ShouldBe("""["One","Two"]""");
        definition.Activity("flow-join1")!.Text("mode").ShouldBe("all");
        definition.Activity("set-variable1")!.Text("value").ShouldBe("\"one\"", "a Literal for a String variable is a string");
        definition.Activity("set-output1")!.Text("value").ShouldBe("vars.one + '+' + vars.two");
        Edges(definition).ShouldContain("flow-fork1:One:set-variable1 flow-fork1:Two:set-variable2");
    }

    [Fact]
    public void elsa_3_6_sequence_root_becomes_a_chain_in_its_order()
    {
        var definition = Definition("v3.6-sequence-root.json");
        Edges(definition).ShouldBe("start:done:set-variable1 set-variable1:done:write-line1 write-line1:done:set-output1 set-output1:done:set-output2 set-output2:done:complete1");
        definition.Activity("set-variable1")!.Text("value").ShouldBe("20", "a Literal \"20\" set into an Int32 variable is the number 20");
        definition.Activity("set-output1")!.Text("value").ShouldBe("vars.total * 2");
        definition.Activity("set-output2")!.Text("value").ShouldBe("vars.total", "a Variable expression reads the variable");
        definition.Activity("complete1")!.ShouldSatisfyAllConditions(a => a.Type.ShouldBe("end"), a => a.Input("outcomes")!.Value.GetRawText().ShouldBe("""["Approved"]"""));
        definition.Outputs.GetProperty("properties").GetProperty("outcomes").GetProperty("items").GetProperty("enum").GetRawText().ShouldBe("""["Approved","Rejected"]""");
    }

    [Fact]
    public void elsa_3_6_start_property_literals_typed_by_their_input_and_workflow_inputs()
    {
        var definition = Definition("v3.6-start-property-literals.json");
        Edges(definition).ShouldStartWith("start:done:decide1 ");
        definition.Activities.Select(a => a.Id).ShouldNotContain("intro1", "Elsa starts at the start property's activity and never reaches Intro1");
        definition.Activity("decide1")!.Text("condition").ShouldBe("false", "a Literal \"False\" for a Boolean is false, not a truthy string");
        definition.Activity("set-output1")!.Text("value").ShouldBe("data.Amount", "an Input expression reads the case data");
        definition.Activity("switch1")!.Input("cases")!.Value.EnumerateArray().Select(c => $"{c.GetProperty("outcome")}: {c.GetProperty("condition")}")
            .ShouldBe(["Large: data.Amount > 1000", "Small: true"]);
        definition.Activity("fault1")!.ShouldSatisfyAllConditions(a => a.Text("result").ShouldBe("failed"), a => a.Text("reason").ShouldBe("Large amounts go to the branch."));
        definition.Inputs.GetProperty("properties").GetProperty("Amount").GetRawText().ShouldBe("""{"type":"integer","description":"Amount asked for."}""");
    }

    [Fact]
    public void the_flat_connection_shape_without_start_begins_at_the_activity_with_no_inbound_connection()
    {
        var definition = Definition("flat-no-start.json");
        Edges(definition).ShouldBe("start:done:hello1 hello1:done:mark1 mark1:done:done1");
        definition.Activity("mark1")!.ShouldSatisfyAllConditions(a => a.Text("variable").ShouldBe("greeted"), a => a.Text("value").ShouldBe("true"));
        definition.Variables["greeted"].GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public void csharp_liquid_and_accessors_without_counterpart_are_reported_by_path_and_nothing_comes_out()
    {
        var result = ElsaImporter.Import(Sample("v3.6-csharp-liquid.json"), partial: false);
        result.Definition.ShouldBeNull();
        result.Issues.Select(i => (i.Path, i.ActivityId)).ShouldBe([
            ("$.root.activities[1].condition", "Decide1"),
            ("$.root.activities[2].text", "Greet1"),
            ("$.root.activities[3].value", "Assign1"),
            ("$.root.activities[3].value", "Assign1"),
        ]);
        result.Issues[0].Reason.ShouldContain("a C# expression");
        result.Issues[1].Reason.ShouldContain("Liquid");
        result.Issues.Select(i => i.Reason).ShouldContain(r => r.Contains("'getWorkflowInstanceId()' is an Elsa accessor", StringComparison.Ordinal));
        result.Issues.Select(i => i.Reason).ShouldContain(r => r.Contains("'setGreeting(…)' assigns inside an expression", StringComparison.Ordinal));
        result.Activities.Where(a => a.Fate == "not-converted").Select(a => a.ElsaId).ShouldBe(["Decide1", "Greet1", "Assign1"]);
    }

    [Fact]
    public void with_partial_csharp_and_liquid_stay_as_marked_placeholders_that_fail_rather_than_run_something_else()
    {
        var result = ElsaImporter.Import(Sample("v3.6-csharp-liquid.json"), partial: true);
        result.Issues.Count.ShouldBe(4);
        var definition = EngineKit.BankParser.Read(result.Definition!.ToJsonString()).Definition.ShouldNotBeNull();
        var condition = definition.Activity("decide1")!.Text("condition")!;
        condition.ShouldContain("PLACEHOLDER: the Elsa CSharp expression was not converted: return Variables.greeting == \\\"hello\\\";");
        definition.Activity("greet1")!.Text("message").ShouldBe("PLACEHOLDER Liquid: {{ Variables.greeting }}, world");
        result.Activities.Where(a => a.Fate == "placeholder").Select(a => a.StepId).ShouldBe(["decide1", "greet1", "assign1"]);
        var failed = Should.Throw<VirtualBranch.Engine.Expressions.ExpressionException>(() =>
            EngineKit.Get<VirtualBranch.Engine.Expressions.IExpressionEvaluator>().Evaluate(condition, new(CaseScenario.Json(new { }), new Dictionary<string, System.Text.Json.JsonElement>(), null, new Dictionary<string, System.Text.Json.JsonElement>(), CaseScenario.T0)));
        failed.Message.ShouldContain("PLACEHOLDER");
    }

    [Fact]
    public void a_single_activity_root_is_wrapped_into_a_flow()
    {
        var definition = EngineKit.BankParser.Read(ElsaImporter.Import("""
            { "definitionId": "JustWrite", "name": "One line", "version": 1,
              "root": { "id": "WriteLine1", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Literal", "value": "Hi" } } } }
            """, partial: false).Definition!.ToJsonString()).Definition.ShouldNotBeNull();
        Edges(definition).ShouldBe("start:done:write-line1");
    }

    [Theory]
    [InlineData("{ \"root\": ", "$", "not valid JSON (line 1")]
    [InlineData("[1, 2]", "$", "an Elsa workflow definition is a JSON object")]
    [InlineData("{ \"name\": \"nothing\" }", "$.root", "no root activity found")]
    [InlineData("""{ "root": { "id": "While1", "type": "Elsa.While", "body": { "id": "W", "type": "Elsa.WriteLine" } } }""", "$.root", "the root is Elsa.While, a container whose behaviour has no counterpart here")]
    [InlineData("""{ "root": { "activities": "none", "id": "F" } }""", "$.root", "not an activity (it has no type)")]
    public void input_that_is_no_elsa_workflow_is_refused_precisely(string json, string path, string reason)
    {
        var result = ElsaImporter.Import(json, partial: true);
        result.Readable.ShouldBeFalse();
        result.Definition.ShouldBeNull();
        var issue = result.Issues.ShouldHaveSingleItem();
        issue.Path.ShouldBe(path);
        issue.Reason.ShouldContain(reason);
    }

    [Fact]
    public void unknown_types_nested_containers_and_dangling_connections_are_each_reported()
    {
        var json = """
            { "definitionId": "Odd", "name": "Odd", "version": 1, "root": { "type": "Elsa.Flowchart", "activities": [
                { "id": "A", "type": "Acme.Teleport" },
                { "id": "B", "type": "Elsa.Sequence", "activities": [ { "id": "B1", "type": "Elsa.WriteLine" } ] },
                { "id": "C", "type": "Elsa.SendEmail" } ],
              "connections": [
                { "source": { "activity": "A", "port": "Done" }, "target": { "activity": "B", "port": "In" } },
                { "source": { "activity": "B", "port": "Done" }, "target": { "activity": "C", "port": "In" } },
                { "source": { "activity": "C", "port": "Done" }, "target": { "activity": "Nowhere", "port": "In" } } ] } }
            """;
        var result = ElsaImporter.Import(json, partial: false);
        result.Definition.ShouldBeNull();
        result.Issues.Select(i => $"{i.Path} {i.Reason}").ShouldBe([
            "$.root.activities[0] the activity type Acme.Teleport has no counterpart",
            "$.root.activities[1] Elsa.Sequence holds activities of its own; only the root may be a container (Flowchart or Sequence)",
            "$.root.activities[2] e-mail has no counterpart",
            "$.root.connections[2] the connection C → Nowhere names 'Nowhere', which is not an activity of the flowchart",
        ]);
    }

    [Theory]
    [MemberData(nameof(Importable))]
    public void import_then_export_then_import_gives_the_same_definition(string sample)
    {
        var first = Definition(sample);
        var exported = ElsaExporter.Export(first);
        var again = ElsaImporter.Import(exported, partial: false);
        again.Issues.ShouldBeEmpty();
        EngineKit.BankParser.Read(again.Definition!.ToJsonString()).Definition!.CanonicalJson.ShouldBe(first.CanonicalJson);
        JsonNode.Parse(exported)!["root"]!["activities"]!.AsArray().Count.ShouldBe(first.Activities.Count);
    }
}
