using System.Collections.Immutable;
using System.Text.Json;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>A step gave the case output <paramref name="Name"/> this value (a set-output step, or an end's outcomes).</summary>
public sealed record OutputSet(string StepId, string Name, JsonElement Value) : IDomainEvent
{
    public CaseState Apply(CaseState state) => state.WithFact(CaseOutput.FactPrefix + Name, Value);
}

/// <summary>What a case gives back, kept among the state's facts under <c>output:</c>.</summary>
public static class CaseOutput
{
    public const string FactPrefix = "output:";

    /// <summary>The name of the output an end's outcomes are written to.</summary>
    public const string Outcomes = "outcomes";

    public static ImmutableSortedDictionary<string, JsonElement> Of(CaseState state) =>
        state.Facts.Where(f => f.Key.StartsWith(FactPrefix, StringComparison.Ordinal))
            .ToImmutableSortedDictionary(f => f.Key[FactPrefix.Length..], f => f.Value, StringComparer.Ordinal);
}
