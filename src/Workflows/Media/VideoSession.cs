using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Workflows.Media;

/// <summary>Opens the case's video room and waits until the teller confirms who has joined.</summary>
public sealed class VideoSession : IActivity
{
    public const string TypeName = "video-session";
    public const string Started = "started";

    private static readonly System.Text.Json.JsonElement JoinForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["participants"], "properties": { "participants": { "type": "array", "minItems": 2,
          "items": { "type": "object", "required": ["role", "name"], "properties": {
            "role": { "type": "string", "enum": ["teller", "customer", "relative", "interpreter"] }, "name": { "type": "string", "minLength": 1 } } } } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Media", "Opens the video session for the case and waits until teller and customer have joined.",
        [
            new("dropPolicy", InputKind.Text, false, "On a dropped connection: resume (default) or restart the identity and willingness steps."),
            new("deadline", InputKind.Duration, false, "How long to wait for the customer to join."),
        ],
        [Started, Outcomes.Expired], Waits: true, DefaultRole: Roles.Teller);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(Roles.Teller, JoinForm, context.Deadline("deadline"), Outcomes.Expired),
            new VideoSessionOpened(context.StableId("video-session"), context.StepId, context.Node.Text("dropPolicy") ?? "resume", context.Now));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(JoinForm, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var participants = input.Input.GetProperty("participants").EnumerateArray()
            .Select(p => new Participant(p.GetProperty("role").GetString()!, p.GetProperty("name").GetString()!)).ToList();
        if (!participants.Any(p => p.Role == "customer") || !participants.Any(p => p.Role == "teller"))
        {
            return ActivityResult.Refuse("/participants", "Both the teller and the customer must be in the session.");
        }
        return ActivityResult.Complete(Started, null, new VideoSessionStarted(context.StableId("video-session"), participants, context.Now));
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        node.Text("dropPolicy") is { } policy && policy is not ("resume" or "restart")
            ? [new DefinitionProblem($"{path}.inputs.dropPolicy", ProblemCodes.InputWrongType, "dropPolicy is 'resume' or 'restart'.")]
            : [];
}
