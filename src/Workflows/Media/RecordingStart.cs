using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Workflows.Media;

/// <summary>Starts recording; the first thing recorded is the customer's consent to it (no consent: the case ends declined).</summary>
public sealed class RecordingStart : IActivity
{
    public const string TypeName = "start-recording";
    public const string DefaultConsent = "本次业务将全程录音录像，您是否同意？ / This session will be recorded on audio and video. Do you agree?";

    private static readonly System.Text.Json.JsonElement ConsentForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["consent"], "properties": { "consent": { "type": "boolean", "title": "同意录音录像 / I agree to be recorded" } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Media", "Starts the recording and asks the customer to consent to it.",
        [new("consentText", InputKind.Text, false, "What the customer is asked.")],
        [Outcomes.Done], Waits: true, DefaultRole: Roles.Customer);

    public ActivityResult Execute(ActivityContext context) =>
        MediaFacts.ActiveRecording(context.State) is not null
            ? ActivityResult.Fail("A recording is already running; stop it before starting another.")
            : ActivityResult.Wait(new BookmarkRequest(Roles.Customer, ConsentForm),
                new RecordingStarted(context.StableId("recording"), context.State.Fact(MediaFacts.VideoSession) is { } s ? Guid.Parse(s.GetString()!) : null, context.Now));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(ConsentForm, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var recording = MediaFacts.ActiveRecording(context.State)!.Value;
        return input.Input.GetProperty("consent").GetBoolean()
            ? ActivityResult.Complete(Outcomes.Done, null, new RecordingConsentGiven(recording, context.Node.Text("consentText") ?? DefaultConsent, context.Now))
            : new ActivityResult.Ended("declined", "The customer did not consent to being recorded.", [new RecordingConsentRefused(recording, context.Now)]);
    }
}
