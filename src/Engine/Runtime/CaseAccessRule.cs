using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// The one rule for who may act on a case (resume, cancel, issue the customer link, upload, record, join the video room).
/// Supervisors and other systems act on any case; a customer acts on their own case (the Host binds a customer's token to
/// one case before asking); a teller acts on a case assigned to them, and on an unassigned case they opened, acted on, or
/// can take from the queue (it waits for a teller). An assignment locks the case to its teller. Other roles act on none.
/// </summary>
public static class CaseAccessRule
{
    /// <summary>Why <paramref name="actor"/> may not act on the case (403), or null when they may.</summary>
    public static Decision.Rejected? Refusal(CaseState state, Actor actor) => actor.Role switch
    {
        Roles.Supervisor or Roles.System or Roles.Customer => null,
        Roles.Teller when state.Assignee is { } assignee => assignee == actor.Id
            ? null
            : Decision.Reject(RejectionKind.Forbidden, "Case locked", $"Case {state.Number} is worked by {assignee}."),
        Roles.Teller => Works(state, actor.Id) || CanTake(state)
            ? null
            : Decision.Reject(RejectionKind.Forbidden, "Not your case",
                $"Case {state.Number} is not assigned to you, you did not open it or act on it, and it does not wait for a teller."),
        _ => Decision.Reject(RejectionKind.Forbidden, "Not allowed", $"The role '{actor.Role}' does not act on cases."),
    };

    /// <summary>Assigned to the teller, opened by them, or acted on by them.</summary>
    public static bool Works(CaseState state, string teller) =>
        state.Assignee == teller || state.OpenedBy == teller || state.Actors.ContainsKey(teller);

    /// <summary>Unassigned and waiting for the teller role: any teller may take it from the queue.</summary>
    public static bool CanTake(CaseState state) => state.Assignee is null && state.Bookmarks.Values.Any(b => b.Role == Roles.Teller);
}
