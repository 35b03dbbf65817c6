using System.Collections.Concurrent;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Engine.Persistence;

/// <summary>
/// The decided state of recently used cases, so a command need not replay the stream. Only a shortcut:
/// the append still carries the expected version, and a conflict always drops the entry.
/// </summary>
public sealed class CaseStateCache(int capacity = 50_000)
{
    private readonly ConcurrentDictionary<Guid, CaseState> _states = new();

    public CaseState? Get(Guid caseId) => _states.GetValueOrDefault(caseId);

    public void Put(CaseState state)
    {
        if (_states.Count >= capacity)
        {
            _states.Clear(); // crude but safe: everything can be reloaded from the streams
        }
        _states[state.Id] = state;
    }

    public void Forget(Guid caseId) => _states.TryRemove(caseId, out _);
}
