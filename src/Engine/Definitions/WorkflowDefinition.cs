using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Engine.Definitions;

/// <summary>One version of a scenario: a flowchart of activities joined by outcome connections.</summary>
public sealed record WorkflowDefinition
{
    public required string Id { get; init; }

    public required int Version { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>JSON Schema of the data a case must be opened with.</summary>
    public required JsonElement Inputs { get; init; }

    /// <summary>Variables and their initial values.</summary>
    public IReadOnlyDictionary<string, JsonElement> Variables { get; init; } = new Dictionary<string, JsonElement>();

    public required IReadOnlyList<ActivityNode> Activities { get; init; }

    public required IReadOnlyList<Connection> Connections { get; init; }

    /// <summary>JSON Schema of what the case gives back (set-output steps, an end's outcomes); undefined when not declared.</summary>
    public JsonElement Outputs { get; init; }

    /// <summary>How the scenario runs beside its flow (retention, assignment, case numbers, limits), read once with the definition.</summary>
    public ScenarioPolicies Policies { get; init; } = ScenarioPolicies.None;

    /// <summary>SHA-256 (hex) of the canonical JSON text of this version.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The canonical JSON text the hash was taken of.</summary>
    public required string CanonicalJson { get; init; }

    public ActivityNode? Activity(string id) => Activities.FirstOrDefault(a => a.Id == id);

    public IEnumerable<Connection> From(string activityId, string outcome) =>
        Connections.Where(c => c.From == activityId && c.Outcome == outcome);

    public IEnumerable<Connection> Into(string activityId) => Connections.Where(c => c.To == activityId);

    public string Key => $"{Id}@{Version}";
}

/// <summary>An activity placed in a flowchart: its id, its type and the inputs the analyst gave it.</summary>
public sealed record ActivityNode(string Id, string Type, string? Title, JsonElement Inputs)
{
    public JsonElement? Input(string name) =>
        Inputs.ValueKind == JsonValueKind.Object && Inputs.TryGetProperty(name, out var value) ? value : null;

    public string? Text(string name) => Input(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public string Label => Title ?? Id;
}

/// <summary>From an activity's outcome to the next activity.</summary>
public sealed record Connection(string From, string Outcome, string To);
