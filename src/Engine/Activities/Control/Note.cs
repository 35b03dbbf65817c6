using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Writes a message into the case's record.</summary>
public sealed class Note : IActivity
{
    public const string TypeName = "note";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Records a message in the case's stream.",
        [new("message", InputKind.Text, true, "The text to record.")],
        [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Complete(Outcomes.Done, null, new NoteRecorded(context.StepId, context.Node.Text("message")!, context.Now));
}
