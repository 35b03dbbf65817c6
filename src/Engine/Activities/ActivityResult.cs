using System.Text.Json;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Activities;

/// <summary>What a step asks the interpreter to do; a closed set.</summary>
public abstract record ActivityResult
{
    private ActivityResult() { }

    /// <summary>The step is done; the flow follows every connection of each outcome.</summary>
    public sealed record Completed(IReadOnlyList<string> Outcomes, JsonElement? Output, IReadOnlyList<object> Events) : ActivityResult;

    /// <summary>The step waits: a bookmark is opened for a role, a timer or a signal.</summary>
    public sealed record Waiting(BookmarkRequest Bookmark, IReadOnlyList<object> Events) : ActivityResult;

    /// <summary>The step failed; the case becomes faulted until a supervisor retries it.</summary>
    public sealed record Faulted(string Error, IReadOnlyList<object> Events) : ActivityResult;

    /// <summary>The step cannot go on yet and waits for nobody (a join waiting for its other branches).</summary>
    public sealed record Pending(IReadOnlyList<object> Events) : ActivityResult;

    /// <summary>The case ends here with a result (completed, declined or failed).</summary>
    public sealed record Ended(string Result, string? Reason, IReadOnlyList<object> Events) : ActivityResult;

    /// <summary>The resume input is refused; nothing is recorded.</summary>
    public sealed record Rejected(IReadOnlyList<FieldError> Errors) : ActivityResult;

    /// <summary>The actor may not resume this step; nothing is recorded.</summary>
    public sealed record Forbidden(string Reason) : ActivityResult;

    /// <summary>The step cannot accept this now (e.g. it must be recorded and nothing records); nothing is recorded.</summary>
    public sealed record Blocked(string Reason) : ActivityResult;

    public static ActivityResult Complete(string outcome, JsonElement? output = null, params object[] events) =>
        new Completed([outcome], output, events);

    public static ActivityResult Wait(BookmarkRequest bookmark, params object[] events) => new Waiting(bookmark, events);

    public static ActivityResult Fail(string error, params object[] events) => new Faulted(error, events);

    public static ActivityResult Refuse(string path, string message) => new Rejected([new FieldError(path, message)]);
}

/// <summary>What a waiting step needs: who may resume it, with what input, until when.</summary>
public sealed record BookmarkRequest(
    string? Role,
    JsonElement? InputSchema,
    DateTimeOffset? Deadline = null,
    string? DeadlineOutcome = null,
    string? Signal = null);

/// <summary>The input and actor of a resume.</summary>
public sealed record ResumeInput(JsonElement Input, Actor Actor);
