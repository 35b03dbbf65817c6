using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Workflows.Media;

/// <summary>Closes the case's video room.</summary>
public sealed class EndVideoSession : IActivity
{
    public const string TypeName = "end-video-session";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Media", "Ends the video session.", [], [Outcomes.Done]);

    public ActivityResult Execute(ActivityContext context) =>
        context.State.Fact(MediaFacts.VideoSession) is { } session && Guid.TryParse(session.GetString(), out var id)
            ? ActivityResult.Complete(Outcomes.Done, null, new VideoSessionEnded(id, context.Now))
            : ActivityResult.Fail("No video session is open.");
}
