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

    public ActivityContext ContextFor(ActivityNode node) =>
        new(State, node, flow.Definition, actor, now, flow.Expressions, flow.Schemas);

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
            Emit(new StepStarted(stepId, node.Type, from, now));
            Apply(node, Execute(node, activity => activity.Execute(ContextFor(node))));
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

    /// <summary>Records a step's result and schedules what follows it.</summary>
    public void Apply(ActivityNode node, ActivityResult result)
    {
        switch (result)
        {
            case ActivityResult.Completed completed:
                EmitAll(completed.Events);
                Emit(new StepCompleted(node.Id, completed.Outcomes, completed.Output, now));
                Follow(node.Id, completed.Outcomes);
                break;
            case ActivityResult.Waiting waiting:
                EmitAll(waiting.Events);
                var request = waiting.Bookmark;
                Emit(new StepWaiting(node.Id, $"{node.Id}.{State.Runs.GetValueOrDefault(node.Id)}", node.Type, node.Label, request.Role,
                    request.InputSchema, request.Deadline, request.DeadlineOutcome, request.Signal, now));
                break;
            case ActivityResult.Faulted faulted:
                EmitAll(faulted.Events);
                Emit(new StepFailed(node.Id, faulted.Error, now));
                break;
            case ActivityResult.Ended ended:
                EmitAll(ended.Events);
                Emit(new StepCompleted(node.Id, [], null, now));
                Emit(new CaseCompleted(ended.Result, ended.Reason, now));
                break;
            case ActivityResult.Pending pending:
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
