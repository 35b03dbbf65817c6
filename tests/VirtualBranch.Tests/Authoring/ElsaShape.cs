using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Tests.Authoring;

/// <summary>
/// The shape Elsa 3's own serializer writes (WorkflowDefinitionModel, FlowchartJsonConverter, ConnectionJsonConverter,
/// InputJsonConverter), checked property by property on an export.
/// </summary>
public static class ElsaShape
{
    private static readonly string[] Known = ["id", "nodeId", "name", "type", "version", "customProperties", "metadata"];

    public static void Check(JsonElement workflow, WorkflowDefinition definition)
    {
        foreach (var field in new[] { "id", "definitionId", "name", "toolVersion" })
        {
            workflow.GetProperty(field).ValueKind.ShouldBe(JsonValueKind.String, field);
        }
        workflow.GetProperty("version").GetInt32().ShouldBe(definition.Version);
        foreach (var list in new[] { "variables", "inputs", "outputs", "outcomes" })
        {
            workflow.GetProperty(list).ValueKind.ShouldBe(JsonValueKind.Array, list);
        }
        foreach (var variable in workflow.GetProperty("variables").EnumerateArray())
        {
            variable.GetProperty("name").GetString().ShouldNotBeNull();
            variable.GetProperty("typeName").GetString().ShouldNotBeNull();
            variable.GetProperty("value").ValueKind.ShouldBe(JsonValueKind.String, "Elsa keeps a variable's initial value as text");
        }
        workflow.GetProperty("isPublished").GetBoolean().ShouldBeTrue();
        var root = workflow.GetProperty("root");
        root.GetProperty("type").GetString().ShouldBe("Elsa.Flowchart");
        root.GetProperty("version").GetInt32().ShouldBe(1);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var activity in root.GetProperty("activities").EnumerateArray())
        {
            var id = activity.GetProperty("id").GetString()!;
            ids.Add(id).ShouldBeTrue(id);
            activity.GetProperty("nodeId").GetString().ShouldEndWith($":{id}");
            activity.GetProperty("type").GetString()!.ShouldMatch(@"^(Elsa|VirtualBranch)\.[A-Za-z-]+$");
            activity.GetProperty("version").GetInt32().ShouldBe(1);
            activity.GetProperty("customProperties").GetProperty("canStartWorkflow").ValueKind.ShouldBeOneOf(JsonValueKind.True, JsonValueKind.False);
            var position = activity.GetProperty("metadata").GetProperty("designer").GetProperty("position");
            position.GetProperty("x").ValueKind.ShouldBe(JsonValueKind.Number);
            position.GetProperty("y").ValueKind.ShouldBe(JsonValueKind.Number);
            foreach (var input in activity.EnumerateObject().Where(p => !Known.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("expression", out _)))
            {
                input.Value.GetProperty("typeName").GetString().ShouldNotBeNullOrEmpty(input.Name);
                var expression = input.Value.GetProperty("expression");
                expression.GetProperty("type").GetString().ShouldBeOneOf("Literal", "JavaScript", "Object");
                expression.GetProperty("value").ValueKind.ShouldBe(JsonValueKind.String, $"{id}.{input.Name}");
            }
        }
        ids.Count.ShouldBe(definition.Activities.Count);
        var connections = root.GetProperty("connections").EnumerateArray().ToList();
        connections.Count.ShouldBe(definition.Connections.Count);
        foreach (var connection in connections)
        {
            foreach (var end in new[] { "source", "target" })
            {
                var endpoint = connection.GetProperty(end);
                ids.ShouldContain(endpoint.GetProperty("activity").GetString()!);
                endpoint.GetProperty("port").GetString().ShouldNotBeNullOrEmpty();
            }
        }
    }
}
