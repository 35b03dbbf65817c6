using Marten;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>Reading and appending case streams; the stream is the truth, the state is its fold.</summary>
public static class CaseStreams
{
    public static async Task<CaseState?> LoadAsync(IQuerySession session, Guid caseId, long? upToVersion = null, CancellationToken cancellation = default)
    {
        var events = await session.Events.FetchStreamAsync(caseId, upToVersion ?? 0, token: cancellation);
        return CaseEvolver.Fold(events.Select(e => e.Data));
    }

    /// <summary>Appends with optimistic concurrency: the store refuses the write if anyone appended since <paramref name="before"/>.</summary>
    public static void Append(IDocumentSession session, Guid caseId, CaseState? before, IReadOnlyList<object> events)
    {
        if (before is null)
        {
            session.Events.StartStream(caseId, events.ToArray());
        }
        else
        {
            session.Events.Append(caseId, before.Version + events.Count, events.ToArray());
        }
    }

    /// <summary>Whether the exception is a lost race on the stream version (then reload and decide again).</summary>
    public static bool IsConcurrencyConflict(Exception ex) => ex.GetType().Name is
        "EventStreamUnexpectedMaxEventIdException" or "ExistingStreamIdCollisionException" or "ConcurrencyException" or "StreamLockedException"
        || (ex.InnerException is { } inner && IsConcurrencyConflict(inner));
}
