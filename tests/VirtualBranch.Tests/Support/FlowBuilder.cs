using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Engine;
using VirtualBranch.Workflows;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Tests.Support;

/// <summary>Builds small definitions for tests, starting from a valid "start → ... " skeleton.</summary>
public sealed class FlowBuilder(string id = "test-flow", int version = 1)
{
    private readonly JsonArray _activities = [new JsonObject { ["id"] = "start", ["type"] = "start" }];
    private readonly JsonArray _connections = [];
    private JsonNode _inputs = JsonNode.Parse("""{ "type": "object" }""")!;
    private readonly JsonObject _variables = [];
    private JsonNode? _policies;

    public FlowBuilder Activity(string activityId, string type, object? inputs = null, string? title = null)
    {
        var node = new JsonObject { ["id"] = activityId, ["type"] = type };
        if (title is not null)
        {
            node["title"] = title;
        }
        if (inputs is not null)
        {
            node["inputs"] = inputs as JsonNode ?? JsonSerializer.SerializeToNode(inputs);
        }
        _activities.Add(node);
        return this;
    }

    public FlowBuilder Connect(string from, string outcome, string to)
    {
        _connections.Add(new JsonObject { ["from"] = from, ["outcome"] = outcome, ["to"] = to });
        return this;
    }

    /// <summary>Connects a chain of activities by their <c>done</c> outcome: start → a → b ...</summary>
    public FlowBuilder Chain(params string[] ids)
    {
        for (var i = 1; i < ids.Length; i++)
        {
            Connect(ids[i - 1], "done", ids[i]);
        }
        return this;
    }

    public FlowBuilder Inputs(string schemaJson)
    {
        _inputs = JsonNode.Parse(schemaJson)!;
        return this;
    }

    public FlowBuilder Variable(string name, object value)
    {
        _variables[name] = JsonSerializer.SerializeToNode(value);
        return this;
    }

    public FlowBuilder Policies(object policies)
    {
        _policies = JsonSerializer.SerializeToNode(policies);
        return this;
    }

    public string Json()
    {
        var json = Body();
        if (_policies is not null)
        {
            json["policies"] = _policies.DeepClone();
        }
        return json.ToJsonString();
    }

    private JsonObject Body() => new()
    {
        ["id"] = id,
        ["version"] = version,
        ["name"] = "Test flow",
        ["inputs"] = _inputs.DeepClone(),
        ["variables"] = _variables.DeepClone(),
        ["activities"] = _activities.DeepClone(),
        ["connections"] = _connections.DeepClone(),
    };

    /// <summary>start → one human task per step, each waiting for an hour at most → end: a case to move on step by step.</summary>
    public static string Asks(string id, int version, params string[] steps)
    {
        var flow = new FlowBuilder(id, version);
        foreach (var step in steps)
        {
            flow.Activity(step, "human-task", new { form = new { type = "object" }, deadline = "PT1H" });
        }
        return flow.Activity("ok", "end").Chain(["start", .. steps, "ok"]).Json();
    }

    public DefinitionReadResult Read() => EngineKit.Parser.Read(Json());

    public WorkflowDefinition Build()
    {
        var read = Read();
        return read.Definition ?? throw new InvalidOperationException("Invalid test flow: " + string.Join("; ", read.Problems));
    }
}

/// <summary>The engine's pure services, built the way the Host builds them (scanning included).</summary>
public static class EngineKit
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddRemoteBanking()
        .BuildServiceProvider();

    /// <summary>The structural checks alone: engine tests build small flows that need not pass the bank's compliance rules.</summary>
    public static DefinitionParser Parser { get; } = new(Get<VirtualBranch.Engine.Activities.ActivityRegistry>(), Get<VirtualBranch.Engine.Activities.DefinitionChecks>(), []);

    /// <summary>Structural checks and every compliance rule, as the Host reads definitions.</summary>
    public static DefinitionParser BankParser => Services.GetRequiredService<DefinitionParser>();

    public static FlowContext Flow(WorkflowDefinition definition) => Services.GetRequiredService<FlowFactory>().For(definition);

    public static T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
