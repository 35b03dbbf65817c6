namespace VirtualBranch.Engine.Runtime;

/// <summary>Why a command was refused, mapped one to one onto HTTP statuses at the edge.</summary>
public enum RejectionKind
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}

/// <summary>The decider's answer: events to append (possibly none: an idempotent no-op) or a refusal.</summary>
public abstract record Decision
{
    private Decision() { }

    public sealed record Accepted(IReadOnlyList<object> Events, CaseState State) : Decision;

    public sealed record Rejected(RejectionKind Kind, string Title, string Detail, IReadOnlyList<FieldError> Errors) : Decision;

    /// <summary>Accepts <paramref name="events"/>, with the state they make.</summary>
    public static Accepted Accept(CaseState state, IReadOnlyList<object> events) =>
        new(events, events.Aggregate(state, (s, e) => CaseEvolver.Evolve(s, e)!));

    public static Rejected Reject(RejectionKind kind, string title, string detail, IReadOnlyList<FieldError>? errors = null) =>
        new(kind, title, detail, errors ?? []);
}
