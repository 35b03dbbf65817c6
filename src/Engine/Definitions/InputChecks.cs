using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Definitions;

/// <summary>Checks a placed activity's inputs against its descriptor: present, known, of the right shape.</summary>
internal static class InputChecks
{
    public static IEnumerable<DefinitionProblem> Check(ActivityDescriptor descriptor, ActivityNode node, string path, DefinitionChecks checks)
    {
        var known = descriptor.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var input in descriptor.Inputs.Where(i => i.Required && node.Input(i.Name) is null or { ValueKind: JsonValueKind.Null }))
        {
            yield return new($"{path}.inputs.{input.Name}", ProblemCodes.MissingInput,
                $"Activity '{node.Id}' ({descriptor.Type}) needs the input '{input.Name}': {input.Description}");
        }
        foreach (var property in node.Inputs.EnumerateObject())
        {
            var at = $"{path}.inputs.{property.Name}";
            if (!known.TryGetValue(property.Name, out var input))
            {
                yield return new(at, ProblemCodes.UnknownInput,
                    $"Activity '{node.Id}' ({descriptor.Type}) has no input '{property.Name}'. Its inputs: {string.Join(", ", known.Keys)}.");
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (Expected(input.Kind, property.Value) is { } expected)
            {
                yield return new(at, ProblemCodes.InputWrongType,
                    $"The input '{property.Name}' of activity '{node.Id}' must be {expected}, not {DefinitionParser.Describe(property.Value.ValueKind)}.");
                continue;
            }
            var extra = input.Kind switch
            {
                InputKind.Expression => checks.Expression(at, property.Value.GetString()),
                InputKind.Schema => checks.Schema(at, property.Value),
                InputKind.Duration => checks.Deadline(at, property.Value.GetString()),
                _ => [],
            };
            foreach (var problem in extra)
            {
                yield return problem;
            }
        }
    }

    /// <summary>What the value should have been, or null when it fits.</summary>
    private static string? Expected(InputKind kind, JsonElement value) => kind switch
    {
        InputKind.Text or InputKind.Expression or InputKind.Duration when value.ValueKind != JsonValueKind.String => "text",
        InputKind.Integer when value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _) => "a whole number",
        InputKind.Number when value.ValueKind != JsonValueKind.Number => "a number",
        InputKind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => "true or false",
        InputKind.Schema or InputKind.Object when value.ValueKind != JsonValueKind.Object => "an object",
        InputKind.Array when value.ValueKind != JsonValueKind.Array => "an array",
        InputKind.TextList when value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.String) => "a list of texts",
        _ => null,
    };
}
