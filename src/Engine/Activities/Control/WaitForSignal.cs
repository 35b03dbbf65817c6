using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities.Control;

/// <summary>
/// Waits for a named signal from another system (e.g. core banking confirming a disbursement). The only step an HTTP
/// signal resumes: the definition names the signal and the role it comes from; facts the Host records itself
/// (documents, recordings, contracts) never arrive as signals.
/// </summary>
public sealed class WaitForSignal : IActivity
{
    public const string TypeName = "wait-for-signal";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Integration", "Waits for a named signal from another system; POST /api/cases/{id}/signals/{name} resumes it.",
        [
            new("signal", InputKind.Text, true, "The signal's name."),
            new("from", InputKind.Text, false, "Who sends it: system (default; a supervisor may stand in) or supervisor (a supervisor only)."),
            new("payload", InputKind.Schema, false, "JSON Schema of the signal's payload."),
            new("deadline", InputKind.Duration, false, "ISO 8601 duration or an expression giving a timestamp."),
            new("deadlineOutcome", InputKind.Text, false, "Outcome followed when the deadline passes (default expired)."),
        ],
        [Outcomes.Received, Outcomes.Expired],
        Waits: true,
        DefaultRole: Roles.System);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(
            From(context.Node),
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

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        From(node) is Roles.System or Roles.Supervisor
            ? []
            : [new DefinitionProblem($"{path}.inputs.from", ProblemCodes.InputWrongType, $"A signal comes from '{Roles.System}' or '{Roles.Supervisor}', not '{From(node)}'.")];

    /// <summary>The role a signal must come from; a supervisor may stand in for another system.</summary>
    public static bool MaySend(StepWaiting waiting, Actor actor) =>
        actor.Role == waiting.Role || (waiting.Role == Roles.System && actor.Role == Roles.Supervisor);

    private static string From(ActivityNode node) => node.Text("from") ?? Roles.System;

    public IReadOnlyList<string> OutcomesOf(ActivityNode node) =>
        [Outcomes.Received, node.Text("deadlineOutcome") ?? Outcomes.Expired];
}
