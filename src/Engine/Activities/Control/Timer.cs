using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Waits for a duration or until a moment (a cooling-off period, a reminder), then follows <c>elapsed</c>.</summary>
public sealed class Timer : IActivity
{
    public const string TypeName = "timer";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Time", "Waits for a duration (ISO 8601, e.g. P15D) or until a timestamp expression, then follows 'elapsed'.",
        [new("duration", InputKind.Duration, true, "ISO 8601 duration, or an expression giving a timestamp.")],
        [Outcomes.Elapsed],
        Waits: true,
        DefaultRole: Roles.System);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(Roles.System, null, context.Deadline("duration"), Outcomes.Elapsed));

    public ActivityResult Resume(ActivityContext context, ResumeInput input) =>
        new ActivityResult.Forbidden("A timer ends when its time comes; it cannot be resumed by hand.");
}
