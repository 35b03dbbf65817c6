using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Starts parallel branches: every listed branch is an outcome, and all of them are followed.</summary>
public sealed class Fork : IActivity
{
    public const string TypeName = "fork";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Splits the flow into parallel branches; each branch name is an outcome.",
        [new("branches", InputKind.TextList, true, "The branch names, e.g. [\"documents\", \"screening\"].")],
        []);

    public ActivityResult Execute(ActivityContext context) =>
        new ActivityResult.Completed(OutcomesOf(context.Node), null, []);

    public IReadOnlyList<string> OutcomesOf(ActivityNode node) =>
        node.Input("branches") is { ValueKind: JsonValueKind.Array } branches
            ? [.. branches.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.String).Select(b => b.GetString()!)]
            : [];
}
