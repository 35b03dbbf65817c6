namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Where every case begins; one per definition.</summary>
public sealed class Start : IActivity
{
    public const string TypeName = "start";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Control", "Where the case begins. Exactly one per definition.", [], [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context) => ActivityResult.Complete(Outcomes.Done);
}
