using Marten;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>Reading and appending case streams; the stream is the truth, the state is its fold.</summary>
public static class CaseStreams
{
    /// <summary>The state at the latest version, or at <paramref name="upToVersion"/> / <paramref name="at"/> (time travel).</summary>
    public static async Task<CaseState?> LoadAsync(IQuerySession session, Guid caseId, long? upToVersion = null, DateTimeOffset? at = null,
        CancellationToken cancellation = default)
    {
        var events = await session.Events.FetchStreamAsync(caseId, upToVersion ?? 0, at, token: cancellation);
        return CaseEvolver.Fold(events.Select(e => e.Data));
    }

    /// <summary>The latest state with the hash of the last event, for the command path.</summary>
    public static async Task<CachedCase?> LoadHeadAsync(IQuerySession session, Guid caseId, CancellationToken cancellation = default)
    {
        var events = await session.Events.FetchStreamAsync(caseId, token: cancellation);
        if (events.Count == 0)
        {
            return null;
        }
        var head = events[^1].GetHeader(HashChain.HashHeader)?.ToString() ?? HashChain.Genesis;
        return new CachedCase(CaseEvolver.Fold(events.Select(e => e.Data))!, head);
    }

    /// <summary>
    /// Appends with optimistic concurrency (the store refuses the write if anyone appended since <paramref name="before"/>),
    /// chaining each event to the one before it. <paramref name="trailer"/> may add one last event made from the
    /// new chain head (the seal of a closed case). Returns the final chain head.
    /// </summary>
    public static string Append(IDocumentSession session, Guid caseId, CachedCase? before, IReadOnlyList<object> events, Actor actor, DateTimeOffset at,
        Func<string, (object Data, Actor Actor)?>? trailer = null)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var recordedAt = HashChain.Time(at);
        var links = new List<(object Data, string Previous, string Hash, Actor Actor)>();
        var previous = before?.Head ?? HashChain.Genesis;
        var version = before?.State.Version ?? 0;
        void Chain(object data, Actor by)
        {
            var hash = HashChain.Link(previous, ++version, EventTypeName(data.GetType()), HashChain.Canonical(serializer.ToJson(data)), recordedAt,
                HashChain.Actor(by.Id, by.Role));
            links.Add((data, previous, hash, by));
            previous = hash;
        }
        foreach (var data in events)
        {
            Chain(data, actor);
        }
        if (trailer?.Invoke(previous) is { } extra)
        {
            Chain(extra.Data, extra.Actor);
        }
        var all = links.Select(l => l.Data).ToArray();
        var action = before is null
            ? session.Events.StartStream(caseId, all)
            : session.Events.Append(caseId, before.State.Version + all.Length, all);
        foreach (var (@event, link) in action.Events.Zip(links))
        {
            @event.SetHeader(HashChain.PreviousHeader, link.Previous);
            @event.SetHeader(HashChain.HashHeader, link.Hash);
            @event.SetHeader(HashChain.RecordedAtHeader, recordedAt);
            @event.SetHeader(HashChain.ActorRoleHeader, link.Actor.Role);
            @event.SetHeader(HashChain.ActorIdHeader, link.Actor.Id);
        }
        return previous;
    }

    /// <summary>Marten's default name for an event type: <c>StepResumed</c> is stored as <c>step_resumed</c>.</summary>
    public static string EventTypeName(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Whether the exception is a lost race on the stream version (then reload and decide again).</summary>
    public static bool IsConcurrencyConflict(Exception ex) => ex.GetType().Name is
        "EventStreamUnexpectedMaxEventIdException" or "ExistingStreamIdCollisionException" or "ConcurrencyException" or "StreamLockedException"
        || (ex.InnerException is { } inner && IsConcurrencyConflict(inner));
}
