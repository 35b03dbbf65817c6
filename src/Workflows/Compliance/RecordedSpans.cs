using VirtualBranch.Engine.Definitions;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Workflows.Compliance;

/// <summary>The activities that run inside a recording on every path that reaches them (drawn with a red dot).</summary>
public static class RecordedSpans
{
    public static ISet<string> Of(WorkflowDefinition definition)
    {
        static bool Update(ActivityNode node, string _, bool recording) => node.Type == RecordingStart.TypeName || (node.Type != RecordingStop.TypeName && recording);
        var unrecorded = FlowPaths.ReachedWithout(definition, Update, _ => true);
        return definition.Activities.Select(a => a.Id).Where(id => !unrecorded.Contains(id)).ToHashSet(StringComparer.Ordinal);
    }
}
