using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// Opens the case's video room and waits until the teller confirms who has joined. While the session is live it owns its
/// disruptions (V-CIP): <c>continue</c> records them, <c>restart</c> goes back to the identity check (and so the
/// willingness confirmation after it), <c>abort</c> leaves by the scenario's declined path, which still seals the recording.
/// </summary>
public sealed class VideoSession : IActivity, IHandlesDisruption
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
            new("dropPolicy", InputKind.Text, false, "On a disruption (the call fails, the customer leaves): continue (default; 'resume' is the same), restart the identity check and what follows it, or abort by the declined path."),
            new("restartAt", InputKind.Text, false, "The step a restart goes back to (default: the first identity check)."),
            new("abortAt", InputKind.Text, false, "The step an abort goes to (default: where the first identity check goes when it is rejected)."),
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
        if (!participants.Any(p => p.Role == Roles.Customer) || !participants.Any(p => p.Role == Roles.Teller))
        {
            return ActivityResult.Refuse("/participants", "Both the teller and the customer must be in the session.");
        }
        return ActivityResult.Complete(Started, null, new VideoSessionStarted(context.StableId("video-session"), participants, context.Now));
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        node.Text("dropPolicy") is { } policy && policy is not ("resume" or DisruptionPolicies.Continue or DisruptionPolicies.Restart or DisruptionPolicies.Abort)
            ? [new DefinitionProblem($"{path}.inputs.dropPolicy", ProblemCodes.InputWrongType, "dropPolicy is 'continue', 'restart' or 'abort'.")]
            : [];

    /// <summary>Live from the moment the teller confirms who joined until the session ends; before that nothing can be disrupted.</summary>
    public DisruptionPlan? Plan(ActivityContext context)
    {
        if (context.State.Fact(MediaFacts.VideoSession) is null || context.State.Bookmarks.Values.Any(b => b.StepId == context.StepId))
        {
            return null;
        }
        var policy = context.Node.Text("dropPolicy") is DisruptionPolicies.Restart or DisruptionPolicies.Abort ? context.Node.Text("dropPolicy")! : DisruptionPolicies.Continue;
        var identity = context.Definition.Activities.FirstOrDefault(a => a.Type == Identity.IdentityCheck.TypeName)?.Id;
        return policy switch
        {
            DisruptionPolicies.Restart => new DisruptionPlan(policy, context.Node.Text("restartAt") ?? identity),
            DisruptionPolicies.Abort => new DisruptionPlan(policy, context.Node.Text("abortAt")
                ?? (identity is null ? null : context.Definition.From(identity, Identity.IdentityCheck.Rejected).FirstOrDefault()?.To)),
            _ => new DisruptionPlan(policy, null),
        };
    }
}
