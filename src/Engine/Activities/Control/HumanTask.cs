using System.Text.Json;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>A form for a role: waits until someone of that role submits input that matches the form's schema.</summary>
public sealed class HumanTask : IActivity
{
    public const string TypeName = "human-task";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "People", "Waits for a person of a role to fill in a form (a JSON Schema).",
        [
            new("role", InputKind.Text, false, "Who fills it in (default teller)."),
            new("form", InputKind.Schema, true, "JSON Schema of the input."),
            new("instructions", InputKind.Text, false, "What the person should do."),
            new("deadline", InputKind.Duration, false, "ISO 8601 duration (PT30M) or an expression giving a timestamp."),
            new("deadlineOutcome", InputKind.Text, false, "Outcome followed when the deadline passes (default expired)."),
        ],
        [Outcomes.Done, Outcomes.Expired],
        Waits: true,
        DefaultRole: Roles.Teller);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(
            context.Node.Text("role") ?? Roles.Teller,
            context.Node.Input("form"),
            context.Deadline("deadline"),
            context.Node.Text("deadlineOutcome") ?? Outcomes.Expired));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(context.Node.Input("form")!.Value, input.Input);
        return errors.Count > 0
            ? new ActivityResult.Rejected(errors)
            : ActivityResult.Complete(Outcomes.Done, input.Input.Clone());
    }

    public IReadOnlyList<string> OutcomesOf(ActivityNode node) =>
        [Outcomes.Done, node.Text("deadlineOutcome") ?? Outcomes.Expired];
}
