using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// Decides a reported disruption: the step that owns the live session (an <see cref="IHandlesDisruption"/> activity that has
/// run) gives the policy. Continue records it; restart and abort also leave every waiting step and send the flow to the
/// policy's step. A report when no session is live changes nothing.
/// </summary>
public static class Disruptions
{
    public static readonly IReadOnlyList<string> Kinds = ["connection-failed", "customer-left", "recording-gap"];

    public static Decision Report(CaseState state, ReportDisruption report, FlowContext flow)
    {
        if (!Kinds.Contains(report.Kind))
        {
            return Decision.Reject(RejectionKind.Invalid, "Unknown disruption", $"A disruption is one of {string.Join(", ", Kinds)}.",
                [new FieldError("/kind", $"'{report.Kind}' is not a kind of disruption.")]);
        }
        if (report.Actor.Role == Roles.Customer)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Not the customer", "The bank reports a disruption, not the customer.");
        }
        if (CaseAccessRule.Refusal(state, report.Actor) is { } refused)
        {
            return refused;
        }
        var run = new Interpreter(state, flow, report.Actor, report.Now);
        var owner = flow.Definition.Activities
            .Where(n => state.Runs.ContainsKey(n.Id) && flow.Activities.Find(n.Type) is IHandlesDisruption)
            .Select(n => (Node: n, Plan: ((IHandlesDisruption)flow.Activities.Get(n.Type)).Plan(run.ContextFor(n))))
            .LastOrDefault(o => o.Plan is not null);
        if (owner.Plan is not { } plan)
        {
            return new Decision.Accepted([], state);
        }
        var goTo = plan.Policy == DisruptionPolicies.Continue || plan.GoTo is null || flow.Definition.Activity(plan.GoTo) is null
            || plan.Policy == DisruptionPolicies.Restart && !state.Runs.ContainsKey(plan.GoTo)
            ? null // nothing to go back to yet: the disruption is recorded
            : plan.GoTo;
        var reason = $"The video session was disrupted ({report.Kind}); policy {plan.Policy}.";
        if (goTo is not null)
        {
            foreach (var waiting in state.Bookmarks.Values)
            {
                run.Emit(new StepAbandoned(waiting.StepId, waiting.BookmarkId, reason, report.Now));
            }
        }
        run.Emit(new SessionDisrupted(owner.Node.Id, report.Kind, report.Detail, plan.Policy, goTo,
            goTo is null ? [] : Reachable(flow, goTo).Where(state.Runs.ContainsKey).Order(StringComparer.Ordinal).ToList(), report.Actor.Id, report.Now));
        if (goTo is not null)
        {
            run.Schedule(goTo, null);
            run.RunUntilIdle();
        }
        return new Decision.Accepted(run.Events, run.State);
    }

    private static HashSet<string> Reachable(FlowContext flow, string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var step))
        {
            foreach (var next in flow.Definition.Connections.Where(c => c.From == step).Select(c => c.To))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return seen;
    }
}
