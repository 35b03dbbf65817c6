using System.Threading.Channels;

namespace VirtualBranch.Host.Cases;

/// <summary>
/// Group commit. Units of work that arrive while a transaction is in flight are committed together in the next one:
/// one round trip and one commit for many instead of one each. Units with the same key never share a transaction (the
/// later ones go alone, after it), and a shared transaction writes its units in key order, so two writers always take
/// row locks in the same order. When PostgreSQL refuses a shared transaction for what one unit wrote (a lost race, a
/// duplicate key, a deadlock, data it cannot hold), each of its units is committed again in a transaction of its own, so every unit gets
/// exactly its own outcome and nothing of a refused one is kept; any other failure (the connection, the server) is
/// every unit's outcome, unretried, since whether the commit happened may be unknown. No unit waits for a timer: a
/// writer takes whatever is queued the moment it is free. A unit once queued is written even if its caller gives up.
/// </summary>
public sealed class GroupCommit<T> : IAsyncDisposable where T : notnull
{
    /// <summary>Transactions in flight at once: one fills while the other commits.</summary>
    public const int Writers = 2;

    /// <summary>Units in one transaction at most.</summary>
    public const int MaxBatch = 32;

    private sealed record Entry(T Item, TaskCompletionSource Done);

    private readonly Func<IReadOnlyList<T>, Task> _commit;
    private readonly Func<T, Guid> _key;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>();
    private readonly Task[] _writers;

    /// <param name="commit">Commits the units given in one transaction, or throws and commits none of them.</param>
    /// <param name="key">Units with equal keys are never committed together; a shared transaction writes in key order.</param>
    public GroupCommit(Func<IReadOnlyList<T>, Task> commit, Func<T, Guid> key)
    {
        _commit = commit;
        _key = key;
        // The writers must not keep the context (activity, log scope) of whichever request happened to create them.
        using (ExecutionContext.SuppressFlow())
        {
            _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
        }
    }

    /// <summary>Completes once the unit is committed; throws what its own transaction threw.</summary>
    public Task WriteAsync(T item)
    {
        var entry = new Entry(item, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(entry) ? entry.Done.Task : throw new ObjectDisposedException(nameof(GroupCommit<T>));
    }

    /// <summary>Commits these units as if they had arrived together; one outcome per unit, in order.</summary>
    internal async Task<IReadOnlyList<Task>> WriteTogetherAsync(IReadOnlyList<T> items)
    {
        var entries = items.Select(i => new Entry(i, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))).ToList();
        await WriteBatchAsync(entries);
        return [.. entries.Select(e => e.Done.Task)];
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Entry>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                batch.ForEach(e => e.Done.TrySetException(ex)); // never leave a caller waiting
            }
        }
    }

    private async Task WriteBatchAsync(List<Entry> batch)
    {
        var keys = new HashSet<Guid>();
        var together = new List<Entry>(batch.Count);
        var alone = new List<Entry>();
        foreach (var entry in batch)
        {
            (keys.Add(_key(entry.Item)) ? together : alone).Add(entry);
        }
        if (together.Count == 1)
        {
            alone.Insert(0, together[0]);
        }
        else
        {
            together.Sort((a, b) => _key(a.Item).CompareTo(_key(b.Item)));
            try
            {
                await _commit([.. together.Select(e => e.Item)]);
                together.ForEach(e => e.Done.TrySetResult());
            }
            catch (Exception ex) when (VirtualBranch.Engine.Persistence.CaseStreams.IsRefusalOfOne(ex))
            {
                alone.InsertRange(0, together);
            }
            catch (Exception ex)
            {
                together.ForEach(e => e.Done.TrySetException(ex));
            }
        }
        foreach (var entry in alone)
        {
            try
            {
                await _commit([entry.Item]);
                entry.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                entry.Done.TrySetException(ex);
            }
        }
    }
}
