using System.Text.Json;
using System.Text.RegularExpressions;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Engine.Definitions;

/// <summary>The outcome of reading a definition: the definition when it is sound, every problem found, and warnings that do not refuse it.</summary>
public sealed record DefinitionReadResult(WorkflowDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;

    /// <summary>What the analyst should know but may publish (a loop that never waits).</summary>
    public IReadOnlyList<DefinitionProblem> Warnings { get; init; } = [];
}

/// <summary>Reads definition JSON into a <see cref="WorkflowDefinition"/>, reporting every problem at once.</summary>
public sealed partial class DefinitionParser(ActivityRegistry activities, DefinitionChecks checks, IEnumerable<IDefinitionRule> rules)
{
    public const int MaxBytes = 1_000_000;

    public const int MaxDepth = 64;

    private readonly IReadOnlyList<PolicyDescriptor> _policies = PoliciesKnown(rules);

    /// <summary>The engine's policies and those the rules declare, in that order.</summary>
    public static IReadOnlyList<PolicyDescriptor> PoliciesKnown(IEnumerable<IDefinitionRule> rules) =>
        [.. ScenarioPolicies.Known, .. rules.SelectMany(r => r.Policies).OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The fields a definition may have: the schema's properties are checked against this list (AuthoringTests).</summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(
        ["$schema", "id", "version", "name", "description", "inputs", "outputs", "variables", "activities", "connections", "policies"], StringComparer.Ordinal);

    public DefinitionReadResult Read(string json)
    {
        if (json.Length > MaxBytes)
        {
            return Fail("$", ProblemCodes.TooLarge, $"The definition is {json.Length:N0} characters; at most {MaxBytes:N0} are accepted.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            var why = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"The JSON is nested deeper than {MaxDepth} levels."
                : $"The text is not valid JSON{where}: {ex.Message.Split(" Path:")[0]}";
            return Fail("$", ProblemCodes.InvalidJson, why);
        }
        using (document)
        {
            return Read(document.RootElement.Clone());
        }
    }

    public DefinitionReadResult Read(JsonElement root)
    {
        var problems = new List<DefinitionProblem>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail("$", ProblemCodes.WrongType, "A definition is a JSON object.");
        }
        foreach (var property in root.EnumerateObject().Where(p => !KnownFields.Contains(p.Name)))
        {
            problems.Add(new("$." + property.Name, ProblemCodes.UnknownInput, $"'{property.Name}' is not a definition field (known: {string.Join(", ", KnownFields.Order(StringComparer.Ordinal))})."));
        }
        var id = Text(root, "id", problems, required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            problems.Add(new("$.id", ProblemCodes.WrongType, "An id is lower-case letters, digits and dashes, e.g. loan-face-signing."));
        }
        var version = Integer(root, "version", problems);
        var name = Text(root, "name", problems, required: true);
        var description = Text(root, "description", problems, required: false) ?? "";
        var inputs = Field(root, "inputs", JsonValueKind.Object, problems, required: true);
        if (inputs is { } schema)
        {
            problems.AddRange(checks.Schema("$.inputs", schema));
        }
        var outputs = Field(root, "outputs", JsonValueKind.Object, problems, required: false);
        if (outputs is { } outputSchema)
        {
            problems.AddRange(checks.Schema("$.outputs", outputSchema));
        }
        var variables = Field(root, "variables", JsonValueKind.Object, problems, required: false);
        var (policies, policyProblems) = ScenarioPolicies.Read(Field(root, "policies", JsonValueKind.Object, problems, required: false), _policies);
        problems.AddRange(policyProblems);
        var nodes = ReadActivities(root, problems);
        var connections = ReadConnections(root, problems);

        var graph = new FlowGraph(nodes, connections, activities);
        problems.AddRange(graph.Problems());

        if (problems.Count > 0 || id is null || version is null || name is null || inputs is null)
        {
            return new DefinitionReadResult(null, problems) { Warnings = [.. graph.Warnings(StepLimits.DefaultMaxStepsPerCommand)] };
        }
        var canonical = CanonicalJson.Write(WithoutEditorHints(root));
        var definition = new WorkflowDefinition
        {
            Id = id,
            Version = version.Value,
            Name = name,
            Description = description,
            Inputs = inputs.Value,
            Outputs = outputs ?? default,
            Variables = variables is { } v ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) : new Dictionary<string, JsonElement>(),
            Activities = nodes.Select(n => n.Node).ToList(),
            Connections = connections.Select(c => c.Connection).ToList(),
            Policies = policies,
            ContentHash = CanonicalJson.Sha256Hex(canonical),
            CanonicalJson = canonical,
        };
        var paths = nodes.ToDictionary(n => n.Node.Id, n => n.Path, StringComparer.Ordinal);
        var broken = rules.SelectMany(rule => rule.Check(definition, id => paths.GetValueOrDefault(id, "$.activities"))).ToList();
        var warnings = graph.Warnings(StepLimits.MaxStepsPerCommandOf(definition)).ToList();
        return broken.Count > 0 ? new DefinitionReadResult(null, broken) { Warnings = warnings } : new DefinitionReadResult(definition, []) { Warnings = warnings };
    }

    private List<PlacedActivity> ReadActivities(JsonElement root, List<DefinitionProblem> problems)
    {
        var result = new List<PlacedActivity>();
        if (Field(root, "activities", JsonValueKind.Array, problems, required: true) is not { } array)
        {
            return result;
        }
        var index = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var path = $"$.activities[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(path, ProblemCodes.WrongType, "An activity is an object with id, type and inputs."));
                continue;
            }
            var local = new List<DefinitionProblem>();
            var id = Text(item, "id", local, required: true, path);
            var type = Text(item, "type", local, required: true, path);
            var title = Text(item, "title", local, required: false, path);
            var inputs = Field(item, "inputs", JsonValueKind.Object, local, required: false, path) ?? JsonDocument.Parse("{}").RootElement.Clone();
            problems.AddRange(local);
            if (id is null || type is null)
            {
                continue;
            }
            if (!seen.Add(id))
            {
                problems.Add(new($"{path}.id", ProblemCodes.DuplicateActivity, $"Another activity already has the id '{id}'."));
                continue;
            }
            var node = new ActivityNode(id, type, title, inputs);
            var activity = activities.Find(type);
            if (activity is null)
            {
                problems.Add(new($"{path}.type", ProblemCodes.UnknownActivityType,
                    $"Activity '{id}' has the unknown type '{type}'. Known types: {string.Join(", ", activities.Types)}."));
            }
            else
            {
                problems.AddRange(InputChecks.Check(activity.Descriptor, node, path, checks));
                problems.AddRange(activity.Validate(node, path, checks));
            }
            result.Add(new PlacedActivity(node, path));
        }
        return result;
    }

    private static List<PlacedConnection> ReadConnections(JsonElement root, List<DefinitionProblem> problems)
    {
        var result = new List<PlacedConnection>();
        if (Field(root, "connections", JsonValueKind.Array, problems, required: true) is not { } array)
        {
            return result;
        }
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"$.connections[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(path, ProblemCodes.WrongType, "A connection is an object with from, outcome and to."));
                continue;
            }
            var local = new List<DefinitionProblem>();
            var from = Text(item, "from", local, required: true, path);
            var outcome = Text(item, "outcome", local, required: true, path);
            var to = Text(item, "to", local, required: true, path);
            problems.AddRange(local);
            if (from is not null && outcome is not null && to is not null)
            {
                result.Add(new PlacedConnection(new Connection(from, outcome, to), path));
            }
        }
        return result;
    }

    private static JsonElement WithoutEditorHints(JsonElement root)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject();
        copy.Remove("$schema");
        return JsonSerializer.SerializeToElement(copy);
    }

    private static string? Text(JsonElement obj, string name, List<DefinitionProblem> problems, bool required, string path = "$") =>
        Field(obj, name, JsonValueKind.String, problems, required, path)?.GetString();

    private static int? Integer(JsonElement obj, string name, List<DefinitionProblem> problems)
    {
        if (Field(obj, name, JsonValueKind.Number, problems, required: true) is not { } value)
        {
            return null;
        }
        if (!value.TryGetInt32(out var number) || number < 1)
        {
            problems.Add(new($"$.{name}", ProblemCodes.WrongType, $"'{name}' must be a whole number of at least 1."));
            return null;
        }
        return number;
    }

    private static JsonElement? Field(JsonElement obj, string name, JsonValueKind kind, List<DefinitionProblem> problems, bool required, string path = "$")
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(new($"{path}.{name}", ProblemCodes.MissingField, $"'{name}' is required."));
            }
            return null;
        }
        if (value.ValueKind != kind && !(kind == JsonValueKind.Object && value.ValueKind == JsonValueKind.True))
        {
            problems.Add(new($"{path}.{name}", ProblemCodes.WrongType, $"'{name}' must be {Describe(kind)}, not {Describe(value.ValueKind)}."));
            return null;
        }
        return value;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };

    private static DefinitionReadResult Fail(string path, string code, string message) => new(null, [new DefinitionProblem(path, code, message)]);

    /// <summary>A definition's id: lower-case letters, digits and dashes (the schema states the same pattern).</summary>
    public const string IdFormat = "^[a-z0-9][a-z0-9-]{0,63}$";

    [GeneratedRegex(IdFormat)]
    private static partial Regex IdPattern();
}

internal sealed record PlacedActivity(ActivityNode Node, string Path);

internal sealed record PlacedConnection(Connection Connection, string Path);
