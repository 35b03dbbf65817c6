namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// A rule checked on top of the structural checks, once a definition's flowchart is sound (compliance lint, for
/// example). Rules are found by scanning, like activities; a definition that breaks one is not published.
/// </summary>
public interface IDefinitionRule
{
    IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf);

    /// <summary>
    /// The policies a definition sets for this rule (e.g. that a scenario moves money): declared by the rule that reads
    /// them, parsed, checked and put in the definitions' schema beside the engine's own <see cref="ScenarioPolicies.Known"/>.
    /// </summary>
    IReadOnlyList<PolicyDescriptor> Policies => [];
}
