using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities;

/// <summary>
/// A step kind. Activities are pure: they read the context (state, inputs, clock value, actor) and return
/// what should happen; they never do I/O. Implementations are found by assembly scanning.
/// </summary>
public interface IActivity
{
    ActivityDescriptor Descriptor { get; }

    /// <summary>Runs the step when the flow reaches it.</summary>
    ActivityResult Execute(ActivityContext context);

    /// <summary>Continues a step that waited, with the input of whoever resumed it.</summary>
    ActivityResult Resume(ActivityContext context, ResumeInput input) =>
        ActivityResult.Fail($"Activity '{Descriptor.Type}' does not wait and cannot be resumed.");

    /// <summary>The outcomes this placed activity can produce.</summary>
    IReadOnlyList<string> OutcomesOf(ActivityNode node) => Descriptor.Outcomes;

    /// <summary>Checks beyond the descriptor's input shapes (e.g. an expression inside a list).</summary>
    IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) => [];
}
