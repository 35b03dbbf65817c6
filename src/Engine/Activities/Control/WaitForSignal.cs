using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>Waits for a named signal from another system (e.g. core banking confirming a disbursement).</summary>
public sealed class WaitForSignal : IActivity
{
    public const string TypeName = "wait-for-signal";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Integration", "Waits for a named signal from another system; POST /api/cases/{id}/signals/{name} resumes it.",
        [
            new("signal", InputKind.Text, true, "The signal's name."),
            new("payload", InputKind.Schema, false, "JSON Schema of the signal's payload."),
            new("deadline", InputKind.Duration, false, "ISO 8601 duration or an expression giving a timestamp."),
            new("deadlineOutcome", InputKind.Text, false, "Outcome followed when the deadline passes (default expired)."),
        ],
        [Outcomes.Received, Outcomes.Expired],
        Waits: true,
        DefaultRole: Roles.System);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(
            Roles.System,
            context.Node.Input("payload"),
            context.Deadline("deadline"),
            context.Node.Text("deadlineOutcome") ?? Outcomes.Expired,
            context.Node.Text("signal")));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        if (context.Node.Input("payload") is { } schema && context.Schemas.Validate(schema, input.Input) is { Count: > 0 } errors)
        {
            return new ActivityResult.Rejected(errors);
        }
        return ActivityResult.Complete(Outcomes.Received, input.Input.Clone());
    }

    public IReadOnlyList<string> OutcomesOf(ActivityNode node) =>
        [Outcomes.Received, node.Text("deadlineOutcome") ?? Outcomes.Expired];
}
