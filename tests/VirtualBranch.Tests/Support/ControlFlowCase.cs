using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// A case over the engine's own control steps: a fork into two waits, a join that waits for its second branch, a deadline
/// that passes, a variable and a note, a step that fails and fails again on retry, and a cancellation.
/// </summary>
public static class ControlFlowCase
{
    public static WorkflowDefinition Definition { get; } = new FlowBuilder("control-flow")
        .Activity("split", "fork", new { branches = new[] { "left", "right" } })
        .Activity("a", "human-task", new { form = new { type = "object" } }, title: "Check the file")
        .Activity("b", "human-task", new { role = "supervisor", form = new { type = "object" }, deadline = "PT30M", deadlineOutcome = "late" })
        .Activity("join", "join", new { mode = "all" })
        .Activity("bump", "set-variable", new { variable = "n", value = "(vars.n || 0) + 1" })
        .Activity("say", "note", new { message = "Both branches are in." })
        .Activity("check", "decision", new { condition = "steps.a.missing.deep === 1" })
        .Activity("finish", "end")
        .Connect("start", "done", "split").Connect("split", "left", "a").Connect("split", "right", "b")
        .Connect("a", "done", "join").Connect("b", "done", "join").Connect("b", "late", "join")
        .Chain("join", "bump", "say", "check").Connect("check", "true", "finish").Connect("check", "false", "finish").Build();

    /// <summary>The commands, in order (the scenario supplies its case id and times).</summary>
    public static IEnumerable<CaseCommand> Commands(CaseScenario scenario) =>
    [
        scenario.Open(),
        scenario.Resume("a.1", new { ok = true }),
        new FireTimer("b.1", CaseScenario.T0.AddMinutes(31)),
        new RetryStep("check", CaseScenario.Supervisor, CaseScenario.T0.AddMinutes(32)),
        new CancelCase("The check cannot be decided.", CaseScenario.Supervisor, CaseScenario.T0.AddMinutes(33)),
    ];
}
