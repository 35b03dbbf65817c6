using System.Text.Json;

namespace VirtualBranch.Engine.Runtime;

/// <summary>Something asked of a case. Time, ids and actor come with the command, never from inside the decider.</summary>
public abstract record CaseCommand(Actor Actor, DateTimeOffset Now)
{
    /// <summary>When set, the command only applies to the case at exactly this stream version (HTTP If-Match).</summary>
    public long? ExpectedVersion { get; init; }
}

/// <summary>Opens a case; with <paramref name="AssignTo"/> the case is assigned in the same decision (round-robin scenarios).</summary>
public sealed record OpenCase(Guid CaseId, string Number, JsonElement Data, Actor Actor, DateTimeOffset Now, CaseAssignment? AssignTo = null) : CaseCommand(Actor, Now);

/// <summary>Who a case goes to as it opens, and by which strategy (chosen by the Host from its tellers; the decider only records it).</summary>
public sealed record CaseAssignment(string Assignee, string Strategy);

public sealed record ResumeBookmark(string BookmarkId, JsonElement Input, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now)
{
    /// <summary>The customer's fresh confirmation (a one-time code the Host checked); a customer's step needs one.</summary>
    public CustomerConfirmation? Confirmation { get; init; }
}

public sealed record FireTimer(string BookmarkId, DateTimeOffset Now) : CaseCommand(Actor.Timer, Now);

public sealed record SendSignal(string Signal, JsonElement Payload, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record CancelCase(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record RetryStep(string StepId, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record PlaceLegalHold(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record ReleaseLegalHold(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>
/// The case's retention has ended: its personal data is to be erased. The Host then destroys the case's data key and
/// deletes <paramref name="Files"/> (the evidence files its events vouch for, by SHA-256).
/// </summary>
public sealed record ErasePersonalData(string Reason, IReadOnlyList<string> Files, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record AssignCase(string Assignee, string Strategy, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>Issue the customer a new link (it revokes the case's earlier link). The Host makes the id and sends the code.</summary>
public sealed record IssueCustomerLink(string LinkId, string Channel, string To, DateTimeOffset ExpiresAt, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>Record that the messenger took the link for delivery.</summary>
public sealed record RecordLinkDelivery(string LinkId, string Channel, string Reference, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>The customer opened the link with the one-time code the Host checked.</summary>
public sealed record RedeemCustomerLink(string LinkId, string Method, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>Stop the case's current link and every customer session it opened.</summary>
public sealed record RevokeCustomerLink(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>A live session of the case was disrupted (the call failed, the customer left); the session's step decides what follows.</summary>
public sealed record ReportDisruption(string Kind, string Detail, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>Invite another person into the video session (a relative, an interpreter) by a single-use link of their own.</summary>
public sealed record InviteParticipant(string LinkId, string Role, string Name, string Channel, string To, DateTimeOffset ExpiresAt, Actor Actor, DateTimeOffset Now)
    : CaseCommand(Actor, Now);

/// <summary>The invited person opened their link with the one-time code the Host checked.</summary>
public sealed record RedeemParticipantLink(string LinkId, string Method, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>Take an invited person out of the case: their link and session stop working.</summary>
public sealed record RemoveParticipant(string LinkId, string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

/// <summary>The video room saw someone other than the teller and the customer join or leave (<c>Seat</c> names them in the room).</summary>
public sealed record RecordPresence(string Seat, string Role, string Name, bool Joined, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);
