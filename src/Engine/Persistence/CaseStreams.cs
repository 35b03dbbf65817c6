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

    /// <summary>The header holding the client's idempotency key on each event its command appended.</summary>
    public const string IdempotencyKeyHeader = "idempotency-key";

    /// <summary>
    /// Appends chained events with optimistic concurrency: the store refuses the write if anyone appended since
    /// <paramref name="before"/>. Each row keeps its link of the chain in its headers, and who asked (correlation,
    /// causation, user) in its metadata: set per event, since one session may carry several cases' commands. Its data is
    /// the JSON the link was hashed over, not serialised again (<see cref="ChainedEventSerializer"/>).
    /// </summary>
    public static void Append(IDocumentSession session, Guid caseId, CachedCase? before, IReadOnlyList<ChainLink> links,
        string? correlationId = null, string? causationId = null, string? idempotencyKey = null)
    {
        var all = links.Select(l => l.Data).ToArray();
        var action = before is null
            ? session.Events.StartStream(caseId, all)
            : session.Events.Append(caseId, before.State.Version + all.Length, all);
        foreach (var (@event, link) in action.Events.Zip(links))
        {
            ChainedEventSerializer.Remember(link.Data, link.Json);
            @event.SetHeader(HashChain.FormatHeader, HashChain.CurrentFormat);
            @event.SetHeader(HashChain.PreviousHeader, link.Previous);
            @event.SetHeader(HashChain.HashHeader, link.Hash);
            @event.SetHeader(HashChain.RecordedAtHeader, link.RecordedAt);
            @event.SetHeader(HashChain.ActorRoleHeader, link.Actor.Role);
            @event.SetHeader(HashChain.ActorIdHeader, link.Actor.Id);
            @event.UserName = link.Actor.Id;
            @event.CorrelationId = correlationId;
            @event.CausationId = causationId;
            if (idempotencyKey is not null)
            {
                @event.SetHeader(IdempotencyKeyHeader, idempotencyKey); // outside the chain's hash: who asked, like the correlation
            }
        }
    }

    /// <summary>
    /// The links (in the current format, bound to <paramref name="caseId"/>) that chain <paramref name="events"/> after the
    /// link <paramref name="previousHash"/> at <paramref name="previousVersion"/>. <paramref name="protect"/> turns an
    /// event's JSON into what is stored (personal values sealed, <see cref="PersonalData"/>); the chain is taken over that.
    /// </summary>
    public static IReadOnlyList<ChainLink> Chain(Weasel.Storage.IStorageSerializer serializer, Guid caseId, string previousHash, long previousVersion,
        IReadOnlyList<object> events, Actor actor, DateTimeOffset at, Func<string, string>? protect = null)
    {
        var recordedAt = HashChain.Time(at);
        var links = new List<ChainLink>(events.Count + 1);
        var previous = previousHash;
        var version = previousVersion;
        foreach (var data in events)
        {
            var json = protect is null ? serializer.ToJson(data) : protect(serializer.ToJson(data));
            var type = EventTypeName(data.GetType());
            var hash = HashChain.LinkData(caseId, previous, ++version, type, json, recordedAt, HashChain.Actor(actor.Id, actor.Role));
            links.Add(new ChainLink(data, type, json, version, previous, hash, actor, recordedAt));
            previous = hash;
        }
        return links;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> TypeNames = new();

    /// <summary>Marten's default name for an event type: <c>StepResumed</c> is stored as <c>step_resumed</c>.</summary>
    public static string EventTypeName(Type type) => TypeNames.GetOrAdd(type, static t =>
        string.Concat(t.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString())));

    /// <summary>
    /// Whether the exception is a lost race on the stream version (then reload and decide again): as Marten reports it,
    /// or as PostgreSQL raised it before Marten translated it (MT003 from the append function, a duplicate version).
    /// </summary>
    public static bool IsConcurrencyConflict(Exception ex) => ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException
        or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
        or Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException
        || ex is Npgsql.PostgresException { SqlState: "MT003" } or Npgsql.PostgresException { SqlState: "23505", TableName: "mt_events" or "mt_streams" }
        || (ex.InnerException is { } inner && IsConcurrencyConflict(inner));

    /// <summary>
    /// Whether PostgreSQL refused a write for what one command wrote (a lost race, a duplicate key such as a case number,
    /// a deadlock or a serialization failure, data it cannot hold such as U+0000 in jsonb) rather than for the connection
    /// or the server: the other commands of a shared transaction can then be written without it.
    /// </summary>
    public static bool IsRefusalOfOne(Exception ex) => IsConcurrencyConflict(ex)
        || ex is Npgsql.PostgresException { SqlState: "23505" or "40P01" or "40001" } or Npgsql.PostgresException { SqlState: ['2', '2', _, _, _] }
        || (ex.InnerException is { } inner && IsRefusalOfOne(inner));
}

/// <summary>One event's place in its case's hash chain, with the JSON the hash was taken over.</summary>
public sealed record ChainLink(object Data, string EventType, string Json, long Version, string Previous, string Hash, Actor Actor, string RecordedAt);
