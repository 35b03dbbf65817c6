namespace VirtualBranch.Engine.Definitions;

/// <summary>
/// A rule checked on top of the structural checks, once a definition's flowchart is sound (compliance lint, for
/// example). Rules are found by scanning, like activities; a definition that breaks one is not published.
/// </summary>
public interface IDefinitionRule
{
    IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf);
}
