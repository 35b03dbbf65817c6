using System.Text.Json;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// Given these events (or the commands that wrote them), when this command, then these events — against the pure
/// decider, no database.
/// </summary>
public sealed class CaseScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    public static readonly Actor Teller = new("teller-li", "teller");
    public static readonly Actor Supervisor = new("supervisor-wang", "supervisor");
    public static readonly Actor CoreBanking = new("core", "system");
    public static readonly Actor Customer = new("customer:1", "customer");
    public const string LinkId = "link-1";

    private readonly FlowContext _flow;
    private readonly List<object> _history = [];

    public CaseScenario(WorkflowDefinition definition) => _flow = EngineKit.Flow(definition);

    public Guid CaseId { get; } = Guid.Parse("0195f3a0-0000-7000-8000-00000000c0de");

    public CaseState? State { get; private set; }

    public IReadOnlyList<object> History => _history;

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    public OpenCase Open(object? data = null, DateTimeOffset? at = null) =>
        new(CaseId, "TF-2026-000001", Json(data ?? new { }), Teller, at ?? T0);

    public ResumeBookmark Resume(string bookmarkId, object? input = null, Actor? actor = null, DateTimeOffset? at = null) =>
        new(bookmarkId, Json(input ?? new { }), actor ?? Teller, at ?? T0.AddMinutes(1));

    /// <summary>The teller sends the customer's link, the messenger delivers it, the customer opens it (the Host checked the code).</summary>
    public CaseCommand[] CustomerJoins(string linkId = LinkId) =>
    [
        new IssueCustomerLink(linkId, "sms", "138****8000", T0.AddHours(2), Teller, T0),
        new RecordLinkDelivery(linkId, "sms", $"ref-{linkId}", CoreBanking, T0),
        new RedeemCustomerLink(linkId, "one-time code via sms", Customer, T0),
    ];

    /// <summary>The customer's answer to a step of theirs, confirmed with a fresh code (as the Host passes it once the code checks).</summary>
    public ResumeBookmark CustomerAnswers(string bookmarkId, object input, string linkId = LinkId) =>
        Resume(bookmarkId, input, Customer) with { Confirmation = new CustomerConfirmation(linkId, "one-time code via sms") };

    /// <summary>The event that opens the case on this scenario's definition, first in its stream.</summary>
    public CaseOpened Opened(object? data = null) => new(CaseId, "TF-2026-000001", _flow.Definition.Id, _flow.Definition.Version, _flow.Definition.ContentHash,
        Json(data ?? new { }), new Dictionary<string, JsonElement>(), T0, Teller.Id);

    /// <summary>A step's first run, reached from <paramref name="from"/>, waiting for <paramref name="role"/> (as the engine writes it: the wait carries the start).</summary>
    public StepWaiting Waiting(string stepId, string role, string? from = "start", DateTimeOffset? at = null)
    {
        var type = _flow.Definition.Activity(stepId)!.Type;
        return new StepWaiting(stepId, $"{stepId}.1", type, null, role, null, null, null, null, at ?? T0) { Started = new StepStart(type, from) };
    }

    /// <summary>Given these events, as a case's stream holds them (oldest first): the state is their fold, and no command ran.</summary>
    public CaseScenario GivenEvents(params object[] events)
    {
        _history.AddRange(events);
        State = CaseEvolver.Fold(_history);
        return this;
    }

    /// <summary>Applies commands that must be accepted.</summary>
    public CaseScenario Given(params CaseCommand[] commands)
    {
        foreach (var command in commands)
        {
            var decision = When(command);
            decision.ShouldBeOfType<Decision.Accepted>($"given {command.GetType().Name} should be accepted, but: {(decision as Decision.Rejected)?.Detail}");
        }
        return this;
    }

    public Decision When(CaseCommand command)
    {
        var decision = CaseDecider.Decide(State, command, _flow);
        if (decision is Decision.Accepted accepted)
        {
            _history.AddRange(accepted.Events);
            State = accepted.State;
            // Replay is the truth: the state the decider hands on must be the fold of everything recorded, bit for bit.
            JsonSerializer.Serialize(CaseEvolver.Fold(_history)).ShouldBe(JsonSerializer.Serialize(State), $"replay after {command.GetType().Name}");
        }
        return decision;
    }

    public IReadOnlyList<object> Then(CaseCommand command)
    {
        var decision = When(command);
        return decision.ShouldBeOfType<Decision.Accepted>($"expected acceptance, got: {(decision as Decision.Rejected)?.Detail}").Events;
    }

    public Decision.Rejected Refused(CaseCommand command, RejectionKind kind)
    {
        var before = State;
        var rejected = When(command).ShouldBeOfType<Decision.Rejected>();
        rejected.Kind.ShouldBe(kind, rejected.Detail);
        State.ShouldBeSameAs(before);
        return rejected;
    }

    public static IReadOnlyList<string> Names(IEnumerable<object> events) => [.. events.Select(e => e.GetType().Name)];

    /// <summary>The steps that started in these events, in order: on an event of their own, or carried by the step's next event.</summary>
    public static IReadOnlyList<string> Started(IEnumerable<object> events) =>
        [.. events.Select(e => e switch { StepStarted s => s.StepId, StepTransition { Started: not null } t => t.StepId, _ => null }).OfType<string>()];
}
