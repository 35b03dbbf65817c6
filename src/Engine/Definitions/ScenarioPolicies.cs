using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VirtualBranch.Engine.Definitions;

/// <summary>What a policy holds: a case-number prefix, a positive whole number, a yes/no flag, or one of a few words.</summary>
public enum PolicyKind
{
    Prefix,
    PositiveInteger,
    Flag,
    OneOf,
}

/// <summary>One policy a scenario may set: its name, kind, what it means, and for <see cref="PolicyKind.OneOf"/> the words allowed (the first is the default).</summary>
public sealed record PolicyDescriptor(string Name, PolicyKind Kind, string Description, IReadOnlyList<string>? Values = null);

/// <summary>
/// How a scenario runs beside its flow (<c>policies</c> in a definition), read once when the definition is parsed: an
/// unknown name or a wrong value is a problem at its path, never a silent default. The list below is the one place the
/// engine's own policies are declared, and a rule's <see cref="IDefinitionRule.Policies"/> the one place of a domain's
/// (the banking rules' <c>movesMoney</c>, say): the parser reads from them and <c>definitions/schema.json</c> is generated from them.
/// </summary>
public sealed partial record ScenarioPolicies
{
    public const string FirstCome = "first-come";
    public const string RoundRobin = "round-robin";
    public const string Random = "random";

    public static readonly IReadOnlyList<PolicyDescriptor> Known =
    [
        new("numberPrefix", PolicyKind.Prefix, "Prefix of case numbers, e.g. LFS (letters and digits, at most 16); else the initials of the id."),
        new("retentionYears", PolicyKind.PositiveInteger, $"How long the evidence is kept after the case closes (default {Retention.DefaultYears})."),
        new("assignment", PolicyKind.OneOf, "Who works a new case: first-come (a free teller takes the longest waiting), round-robin (the tellers in turn, as it opens) or random (a free teller gets one at random, so a customer cannot choose the official).",
            [FirstCome, RoundRobin, Random]),
        new("maxRecordingBytes", PolicyKind.PositiveInteger, "Largest recording a case may upload; a chunk past it gets 413 (default 2 GiB)."),
        new("maxRecordingGapSeconds", PolicyKind.PositiveInteger, "Longest break between two segments of a recording before it is a disruption of the video session (default 30)."),
        new("maxStepsPerCommand", PolicyKind.PositiveInteger, "Most steps a case may pass in one command; a loop that never waits fails its step past it (default 1000)."),
        new("maxRecordingMinutes", PolicyKind.PositiveInteger, "Longest a recording may run from its start; a chunk after it gets 413 (default 180)."),
    ];

    /// <summary>A definition that sets none.</summary>
    public static readonly ScenarioPolicies None = new();

    public string? NumberPrefix { get; init; }

    public long? RetentionYears { get; init; }

    public string Assignment { get; init; } = FirstCome;

    /// <summary>The values of the policies rules declared, by name (the engine's own have properties above).</summary>
    public IReadOnlyDictionary<string, object> Declared { get; init; } = new Dictionary<string, object>();

    /// <summary>Whether a flag a rule declared is set.</summary>
    public bool Flag(string name) => Declared.TryGetValue(name, out var value) && value is true;

    public long? MaxRecordingBytes { get; init; }

    public long? MaxRecordingGapSeconds { get; init; }

    public long? MaxStepsPerCommand { get; init; }

    public long? MaxRecordingMinutes { get; init; }

    /// <summary>The policies as the definition wrote them (for export); undefined when it set none.</summary>
    public JsonElement Json { get; init; }

    /// <summary>
    /// Reads <c>policies</c> (an object, or absent) against the policies known (<see cref="Known"/> and the rules'); every
    /// problem names its path under <c>$.policies</c>.
    /// </summary>
    public static (ScenarioPolicies Policies, IReadOnlyList<DefinitionProblem> Problems) Read(JsonElement? policies, IReadOnlyList<PolicyDescriptor> known)
    {
        if (policies is not { ValueKind: JsonValueKind.Object } given)
        {
            return (None, []);
        }
        var problems = new List<DefinitionProblem>();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in given.EnumerateObject())
        {
            var path = $"$.policies.{property.Name}";
            if (known.FirstOrDefault(k => k.Name == property.Name) is not { } policy)
            {
                problems.Add(new(path, ProblemCodes.UnknownPolicy,
                    $"There is no policy '{property.Name}'; the policies are {string.Join(", ", known.Select(k => k.Name))}."));
            }
            else if (ValueOf(policy, property.Value) is { } value)
            {
                values[policy.Name] = value;
            }
            else
            {
                problems.Add(new(path, ProblemCodes.WrongType, Expected(policy, property.Value)));
            }
        }
        T? Get<T>(string name) => values.TryGetValue(name, out var v) ? (T)v : default;
        return (new ScenarioPolicies
        {
            NumberPrefix = Get<string>("numberPrefix"),
            RetentionYears = values.ContainsKey("retentionYears") ? Get<long>("retentionYears") : null,
            Assignment = Get<string>("assignment") ?? FirstCome,
            MaxRecordingBytes = values.ContainsKey("maxRecordingBytes") ? Get<long>("maxRecordingBytes") : null,
            MaxRecordingGapSeconds = values.ContainsKey("maxRecordingGapSeconds") ? Get<long>("maxRecordingGapSeconds") : null,
            MaxStepsPerCommand = values.ContainsKey("maxStepsPerCommand") ? Get<long>("maxStepsPerCommand") : null,
            MaxRecordingMinutes = values.ContainsKey("maxRecordingMinutes") ? Get<long>("maxRecordingMinutes") : null,
            Declared = values.Where(v => !Known.Any(k => k.Name == v.Key)).ToDictionary(StringComparer.Ordinal),
            Json = given.Clone(),
        }, problems);
    }

    /// <summary>The <c>policies</c> part of the definitions' JSON Schema, from the policies known (<see cref="Known"/> and the rules').</summary>
    public static JsonObject Schema(IEnumerable<PolicyDescriptor> known)
    {
        var properties = new JsonObject();
        foreach (var policy in known)
        {
            properties[policy.Name] = policy.Kind switch
            {
                PolicyKind.Prefix => new JsonObject { ["type"] = "string", ["pattern"] = PrefixPattern, ["description"] = policy.Description },
                PolicyKind.PositiveInteger => new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = policy.Description },
                PolicyKind.Flag => new JsonObject { ["type"] = "boolean", ["description"] = policy.Description },
                _ => new JsonObject { ["enum"] = new JsonArray([.. policy.Values!.Select(v => (JsonNode)v)]), ["default"] = policy.Values![0], ["description"] = policy.Description },
            };
        }
        return new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
    }

    private const string PrefixPattern = "^[A-Za-z0-9]{1,16}$";

    [GeneratedRegex(PrefixPattern)]
    private static partial Regex PrefixRegex();

    private static object? ValueOf(PolicyDescriptor policy, JsonElement value) => policy.Kind switch
    {
        PolicyKind.Prefix when value.ValueKind == JsonValueKind.String && PrefixRegex().IsMatch(value.GetString()!) => value.GetString(),
        PolicyKind.PositiveInteger when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number > 0 => number,
        PolicyKind.Flag when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        PolicyKind.OneOf when value.ValueKind == JsonValueKind.String && policy.Values!.Contains(value.GetString()) => value.GetString(),
        _ => null,
    };

    private static string Expected(PolicyDescriptor policy, JsonElement value)
    {
        var given = value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();
        return policy.Kind switch
        {
            PolicyKind.Prefix => $"{policy.Name} is {given}; it must be 1 to 16 letters or digits, e.g. LFS.",
            PolicyKind.PositiveInteger => $"{policy.Name} is {given}; it must be a whole number of at least 1.",
            PolicyKind.Flag => $"{policy.Name} is {given}; it must be true or false.",
            _ => $"{policy.Name} is {given}; it must be one of {string.Join(", ", policy.Values!)}.",
        };
    }
}
