using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Schemas;

/// <summary>
/// Validates case data and step input against JSON Schema (JsonSchema.Net), with the formats that activity
/// libraries register (for example a Chinese resident id number), and the <see cref="SchemaLimits"/> defaults.
/// Built schemas are cached by their text, each with its <see cref="SchemaFastPass"/>.
/// </summary>
public sealed class SchemaValidator
{
    private readonly ConcurrentDictionary<string, Built> _built = new(StringComparer.Ordinal);
    private readonly FormatRegistry _formats = new();
    private readonly EvaluationOptions _evaluation;
    private readonly EvaluationOptions _passOrFail;

    public SchemaValidator(IEnumerable<Format> formats)
    {
        foreach (var format in formats)
        {
            _formats.Register(format);
        }
        EvaluationOptions Options(OutputFormat output) => new() { FormatRegistry = _formats, RequireFormatValidation = true, OutputFormat = output };
        _evaluation = Options(OutputFormat.List);
        _passOrFail = Options(OutputFormat.Flag);
    }

    /// <summary>Each place the instance breaks the schema, as a JSON pointer and a sentence; empty when valid.</summary>
    public IReadOnlyList<FieldError> Validate(JsonElement schema, JsonElement instance)
    {
        var (built, fits) = Build(schema);
        // Most input is valid: the quick look or a pass-or-fail evaluation collect nothing; only a failing instance is evaluated again for the places it fails.
        if (fits?.Invoke(instance) == true || built.Evaluate(instance, _passOrFail).IsValid)
        {
            return [];
        }
        var results = built.Evaluate(instance, _evaluation);
        if (results.IsValid)
        {
            return [];
        }
        var errors = new List<FieldError>();
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                errors.Add(new FieldError(Pointer(detail.InstanceLocation.ToString(), keyword, message, instance), Explain(message)));
            }
        }
        return errors.Count > 0 ? errors.Distinct().ToList() : [new FieldError("", "The value does not match the schema.")];
    }

    /// <summary>Why a schema cannot be used; empty when it can.</summary>
    public IReadOnlyList<string> SchemaProblems(JsonElement schema)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            return ["a schema must be a JSON object"];
        }
        try
        {
            Build(schema);
            return [];
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or RefResolutionException)
        {
            return [ex.Message];
        }
    }

    // The one place the default limits join a schema: every validation of case data and step input builds through here.
    // JsonSchema.Net registers what it builds in process-wide registries that are not safe to change from two threads
    // (two Hosts starting in one process corrupted them), so builds take turns; they are cached and rare.
    private Built Build(JsonElement schema) =>
        _built.GetOrAdd(schema.GetRawText(), _ =>
        {
            var limited = SchemaLimits.Apply(schema);
            lock (BuildTurn)
            {
                return new Built(JsonSchema.Build(limited, new BuildOptions()), SchemaFastPass.Compile(limited, _formats));
            }
        });

    private sealed record Built(JsonSchema Schema, Func<JsonElement, bool>? Fits);

    private static readonly Lock BuildTurn = new();

    // An undeclared property meets the false schema that SchemaLimits puts in additionalProperties; say so in the bank's words.
    private static string Explain(string message) =>
        message == ErrorMessages.FalseSchema ? "Not accepted here: the form declares no such field." : message;

    // A missing required property is reported at its parent; point at the property itself, where a form shows it.
    private static string Pointer(string location, string keyword, string message, JsonElement instance)
    {
        if (keyword != "required")
        {
            return location;
        }
        var start = message.IndexOf('[', StringComparison.Ordinal);
        var end = message.IndexOf(']', StringComparison.Ordinal);
        if (start < 0 || end <= start)
        {
            return location;
        }
        var names = message[(start + 1)..end].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return names.Length == 1 ? $"{location}/{names[0].Trim('"')}" : location;
    }
}
