using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Expressions;
using VirtualBranch.Engine.Schemas;

namespace VirtualBranch.Engine.Runtime;

/// <summary>The definition and services a decision runs against; all of them pure.</summary>
public sealed record FlowContext(WorkflowDefinition Definition, ActivityRegistry Activities, IExpressionEvaluator Expressions, SchemaValidator Schemas);

/// <summary>
/// Runs the flowchart for one command: executes ready steps until every branch waits or the case ends,
/// folding each event into the state as it is emitted so later steps see earlier ones.
/// </summary>
internal sealed class Interpreter(CaseState state, FlowContext flow, Actor actor, DateTimeOffset now)
{
    private readonly List<object> _events = [];
    private readonly Queue<(string StepId, string? From)> _ready = new();

    public CaseState State { get; private set; } = state;

    public IReadOnlyList<object> Events => _events;

    public void Emit(object @event)
    {
        _events.Add(@event);
        State = CaseEvolver.Evolve(State, @event)!;
    }

    public void Schedule(string stepId, string? from) => _ready.Enqueue((stepId, from));

    public ActivityContext ContextFor(ActivityNode node, CaseState? state = null) =>
        new(state ?? State, node, flow.Definition, actor, now, flow.Expressions, flow.Schemas);

    public void RunUntilIdle()
    {
        var steps = 0;
        var limit = StepLimits.MaxStepsPerCommandOf(flow.Definition);
        while (_ready.Count > 0 && State.Status == CaseStatus.Running)
        {
            var (stepId, from) = _ready.Dequeue();
            var node = flow.Definition.Activity(stepId)!;
            if (++steps > limit)
            {
                // Elsa would run such a loop forever; the bound (policies.maxStepsPerCommand) fails the step instead.
                Emit(new StepFailed(stepId, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Step '{stepId}' would be step {steps:N0} run in one command, past the limit of {limit:N0} (policies.{StepLimits.Policy}): the flow loops without waiting."), now));
                return;
            }
            // The step runs as started (its run counted, its arrival noted), but its start is written only as part of the
            // step's next event, which carries it.
            var started = CaseEvolver.Started(State, stepId, from);
            Apply(node, Execute(node, activity => activity.Execute(ContextFor(node, started))), new StepStart(node.Type, from));
        }
        if (State.Status == CaseStatus.Running && _ready.Count == 0 && State.Bookmarks.IsEmpty)
        {
            Emit(new CaseCompleted("completed", "The flow has no further step.", now));
        }
    }

    public ActivityResult Execute(ActivityNode node, Func<IActivity, ActivityResult> run)
    {
        try
        {
            return run(flow.Activities.Get(node.Type));
        }
        catch (ExpressionException ex)
        {
            return ActivityResult.Fail(ex.Message);
        }
    }

    /// <summary>
    /// Records a step's result and schedules what follows it. The step's event comes first and carries the start and the
    /// resume of this command, when there are any; the step's own domain events follow it. Only a step that neither
    /// waits nor ends (a join still missing a branch) writes its start or resume as events of their own.
    /// </summary>
    public void Apply(ActivityNode node, ActivityResult result, StepStart? start = null, StepResume? resume = null)
    {
        switch (result)
        {
            case ActivityResult.Completed completed:
                Emit(new StepCompleted(node.Id, completed.Outcomes, completed.Output, now) { Started = start, Resumed = resume });
                EmitAll(completed.Events);
                Follow(node.Id, completed.Outcomes);
                break;
            case ActivityResult.Waiting waiting:
                var request = waiting.Bookmark;
                var run = State.Runs.GetValueOrDefault(node.Id) + (start is null ? 0 : 1);
                Emit(new StepWaiting(node.Id, $"{node.Id}.{run}", node.Type, node.Label, request.Role,
                    request.InputSchema, request.Deadline, request.DeadlineOutcome, request.Signal, now) { Started = start, Resumed = resume });
                EmitAll(waiting.Events);
                break;
            case ActivityResult.Faulted faulted:
                Emit(new StepFailed(node.Id, faulted.Error, now) { Started = start, Resumed = resume });
                EmitAll(faulted.Events);
                break;
            case ActivityResult.Ended ended:
                Emit(new StepCompleted(node.Id, [], null, now) { Started = start, Resumed = resume });
                EmitAll(ended.Events);
                Emit(new CaseCompleted(ended.Result, ended.Reason, now));
                break;
            case ActivityResult.Pending pending:
                if (start is not null)
                {
                    Emit(new StepStarted(node.Id, start.ActivityType, start.ArrivedFrom, now));
                }
                if (resume is not null)
                {
                    Emit(new StepResumed(node.Id, resume.BookmarkId, resume.Input, resume.ResumedBy, resume.Role, now));
                }
                EmitAll(pending.Events);
                break;
            default:
                throw new InvalidOperationException($"{result.GetType().Name} cannot be applied here.");
        }
    }

    public void Follow(string stepId, IEnumerable<string> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            foreach (var connection in flow.Definition.From(stepId, outcome))
            {
                Schedule(connection.To, stepId);
            }
        }
    }

    public bool HasConnection(string stepId, string outcome) => flow.Definition.From(stepId, outcome).Any();

    private void EmitAll(IReadOnlyList<object> events)
    {
        foreach (var e in events)
        {
            Emit(e);
        }
    }
}
