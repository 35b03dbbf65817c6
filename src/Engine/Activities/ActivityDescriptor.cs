namespace VirtualBranch.Engine.Activities;

/// <summary>What an activity is, as analysts, validation, the schema and diagrams see it.</summary>
/// <param name="Type">The name used in definitions, e.g. <c>decision</c>.</param>
/// <param name="Outcomes">Fixed outcomes; activities whose outcomes depend on their inputs override <see cref="IActivity.OutcomesOf"/>.</param>
/// <param name="Waits">Whether the activity stops the flow and waits for someone (or something) to resume it.</param>
/// <param name="DefaultRole">Who is expected to act when it waits, unless the definition names a role.</param>
public sealed record ActivityDescriptor(
    string Type,
    string Category,
    string Description,
    IReadOnlyList<InputDescriptor> Inputs,
    IReadOnlyList<string> Outcomes,
    bool Waits = false,
    string? DefaultRole = null);

/// <summary>One input an activity takes in a definition.</summary>
public sealed record InputDescriptor(string Name, InputKind Kind, bool Required, string Description);

/// <summary>The JSON shape an input must have; expressions are JavaScript text checked at load time.</summary>
public enum InputKind
{
    Text,
    Integer,
    Number,
    Boolean,
    Expression,
    Duration,
    Schema,
    TextList,
    Object,
    Array,
    Any,
}
