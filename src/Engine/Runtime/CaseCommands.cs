using System.Text.Json;

namespace VirtualBranch.Engine.Runtime;

/// <summary>Something asked of a case. Time, ids and actor come with the command, never from inside the decider.</summary>
public abstract record CaseCommand(Actor Actor, DateTimeOffset Now)
{
    /// <summary>When set, the command only applies to the case at exactly this stream version (HTTP If-Match).</summary>
    public long? ExpectedVersion { get; init; }
}

public sealed record OpenCase(Guid CaseId, string Number, JsonElement Data, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record ResumeBookmark(string BookmarkId, JsonElement Input, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record FireTimer(string BookmarkId, DateTimeOffset Now) : CaseCommand(Actor.Timer, Now);

public sealed record SendSignal(string Signal, JsonElement Payload, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record CancelCase(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record RetryStep(string StepId, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record PlaceLegalHold(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record ReleaseLegalHold(string Reason, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);

public sealed record AssignCase(string Assignee, string Strategy, Actor Actor, DateTimeOffset Now) : CaseCommand(Actor, Now);
