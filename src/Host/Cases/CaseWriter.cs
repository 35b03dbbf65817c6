using System.Threading.Channels;
using Marten;
using VirtualBranch.Engine.Persistence;
using Wolverine.Marten;

namespace VirtualBranch.Host.Cases;

/// <summary>One decided command, ready to be written: its chain links, the summary after it and the messages it sends.</summary>
public sealed record PendingAppend(Guid CaseId, CachedCase? Before, IReadOnlyList<ChainLink> Links, CaseSummary Summary,
    IReadOnlyList<object> Messages, RequestContext Request)
{
    internal TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit. Commands for different cases that are decided while a write is in flight go to the store together in
/// the next transaction: one round trip and one commit for many commands instead of one each. Each command's events
/// still carry the expected stream version, so a lost race is refused by the store as before; when a transaction of
/// several commands fails, each of them is written again in a transaction of its own, so every command gets exactly
/// its own outcome and nothing of a refused command is kept. No command waits for a timer: a writer takes whatever
/// is queued the moment it is free.
/// </summary>
public sealed class CaseWriter : IAsyncDisposable
{
    /// <summary>Transactions in flight at once: one fills while the other commits.</summary>
    public const int Writers = 2;

    /// <summary>Commands in one transaction at most.</summary>
    public const int MaxBatch = 32;

    private readonly IDocumentStore _store;
    private readonly IServiceProvider _services;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>();
    private readonly Task[] _writers;

    public CaseWriter(IDocumentStore store, IServiceProvider services)
    {
        _store = store;
        _services = services;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Completes once the command's events, summary and messages are committed; throws what the store threw for it.</summary>
    public Task WriteAsync(PendingAppend append) =>
        _queue.Writer.TryWrite(append) ? append.Written.Task : throw new ObjectDisposedException(nameof(CaseWriter));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    internal async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        // Two commands on one case were decided on the same state: they cannot share a transaction (the second would
        // see its own case's version move under it), so the later ones go alone, after the first.
        var cases = new HashSet<Guid>();
        var together = new List<PendingAppend>(batch.Count);
        var alone = new List<PendingAppend>();
        foreach (var append in batch)
        {
            (cases.Add(append.CaseId) ? together : alone).Add(append);
        }
        if (together.Count == 1)
        {
            alone.Insert(0, together[0]);
        }
        else
        {
            try
            {
                await CommitAsync(together);
                together.ForEach(a => a.Written.TrySetResult());
            }
            catch (Exception)
            {
                alone.InsertRange(0, together);
            }
        }
        foreach (var append in alone)
        {
            try
            {
                await CommitAsync([append]);
                append.Written.TrySetResult();
            }
            catch (Exception ex)
            {
                append.Written.TrySetException(ex);
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<PendingAppend> appends)
    {
        // The outbox joins the transaction only when there is something to send (a near deadline, an intent): most commands have none.
        var sends = appends.Any(a => a.Messages.Count > 0);
        await using var scope = sends ? _services.CreateAsyncScope() : (AsyncServiceScope?)null;
        var outbox = scope?.ServiceProvider.GetRequiredService<IMartenOutbox>();
        await using var session = _store.LightweightSession();
        outbox?.Enroll(session);
        foreach (var append in appends)
        {
            CaseStreams.Append(session, append.CaseId, append.Before, append.Links, append.Request.CorrelationId, append.Request.CausationId);
            session.Store(append.Summary);
        }
        foreach (var message in appends.SelectMany(a => a.Messages))
        {
            await outbox!.PublishAsync(message);
        }
        await session.SaveChangesAsync();
    }
}
