using System.Collections.Concurrent;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>A case's decided state with the hash of its last event (the chain head).</summary>
public sealed record CachedCase(CaseState State, string Head);

/// <summary>
/// The decided state of recently used cases, so a command need not replay the stream. Only a shortcut:
/// the append still carries the expected version, and a conflict always drops the entry.
/// </summary>
public sealed class CaseStateCache(int capacity = 50_000)
{
    private readonly ConcurrentDictionary<Guid, CachedCase> _cases = new();

    public CachedCase? Get(Guid caseId) => _cases.GetValueOrDefault(caseId);

    private int _count; // ConcurrentDictionary.Count takes every lock; this one is only near the truth, which is all the bound needs

    public void Put(CachedCase entry)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            _cases.Clear(); // crude but safe: everything can be reloaded from the streams
            Volatile.Write(ref _count, 0);
        }
        if (_cases.TryAdd(entry.State.Id, entry))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _cases[entry.State.Id] = entry;
        }
    }

    /// <summary>Forgets every case (each is reloaded from its stream when next needed).</summary>
    public void Clear()
    {
        _cases.Clear();
        Volatile.Write(ref _count, 0);
    }

    public void Forget(Guid caseId)
    {
        if (_cases.TryRemove(caseId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
