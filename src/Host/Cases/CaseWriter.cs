using Marten;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Cases.Idempotency;
using Wolverine.Marten;

namespace VirtualBranch.Host.Cases;

/// <summary>One decided command, ready to be written: its chain links, the summary after it and the messages it sends.</summary>
public sealed record PendingAppend(Guid CaseId, CachedCase? Before, IReadOnlyList<ChainLink> Links, CaseSummary Summary,
    IReadOnlyList<object> Messages, RequestContext Request);

/// <summary>
/// Writes decided commands with <see cref="GroupCommit{T}"/>: commands of different cases share a transaction. Each
/// command's events still carry the expected stream version, so a lost race is refused by the store as before, for
/// that command alone. Each command's events, summary, messages and idempotency key commit together or not at all. When the Host
/// stops, the commands already queued are written before the services they need go away.
/// </summary>
public sealed class CaseWriter : IHostedService, IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly IServiceProvider _services;
    private readonly GroupCommit<PendingAppend> _group;
    private readonly CaseChanges _changes;

    public CaseWriter(IDocumentStore store, IServiceProvider services, CaseChanges changes)
    {
        _store = store;
        _services = services;
        _changes = changes;
        _group = new GroupCommit<PendingAppend>(CommitAsync, a => a.CaseId);
    }

    /// <summary>Completes once the command is committed; throws what the store threw for it.</summary>
    public Task WriteAsync(PendingAppend append) => _group.WriteAsync(append);

    /// <summary>Writes these commands as if they had arrived together (for tests); one outcome per command.</summary>
    internal Task<IReadOnlyList<Task>> WriteTogetherAsync(IReadOnlyList<PendingAppend> appends) => _group.WriteTogetherAsync(appends);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _group.DisposeAsync().AsTask();

    public ValueTask DisposeAsync() => _group.DisposeAsync();

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
            CaseStreams.Append(session, append.CaseId, append.Before, append.Links, append.Request.CorrelationId, append.Request.CausationId,
                append.Request.Idempotency?.Key);
            session.Store(append.Summary);
            if (append.Request.Idempotency is { } claim)
            {
                IdempotencyKeys.Record(session, claim, append.CaseId, append.Links[^1].Version);
            }
        }
        foreach (var append in appends)
        {
            foreach (var message in append.Messages)
            {
                // Each command's messages carry its own request's correlation, whoever else shares the transaction.
                await outbox!.PublishAsync(message, new Wolverine.DeliveryOptions { CorrelationId = append.Request.CorrelationId });
            }
        }
        await session.SaveChangesAsync();
        foreach (var append in appends)
        {
            append.Request.Idempotency?.Claimed = true;
        }
        _changes.Committed(appends.Select(a => a.CaseId));
    }
}
