using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using Npgsql;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Cases;

/// <summary>
/// Tells the pages that follow a case that it changed, whichever Host wrote the change: the transaction that appends a
/// case's events also sends its id through PostgreSQL <c>NOTIFY</c> (delivered only if it commits), and each Host wakes
/// the watchers of that case, who read its version and push it (<c>GET /api/cases/{id}/changes</c>). After (re)connecting, a Host
/// wakes every watcher, since a notification may have been missed meanwhile.
/// </summary>
public sealed class CaseChanges(NpgsqlDataSource database, ILogger<CaseChanges> log) : NotificationListener(database, log)
{
    public const string ChannelName = "vb_case_changed";

    /// <summary>Case ids per notification: a payload must stay under PostgreSQL's 8,000 bytes (33 per id).</summary>
    private const int IdsPerNotification = 200;

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<bool>, byte>> _watchers = new();

    protected override string Channel => ChannelName;

    /// <summary>Queues the notification of these cases' change in the session that appends their events, so both commit together.</summary>
    public static void Announce(IDocumentSession session, IEnumerable<Guid> caseIds)
    {
        foreach (var ids in caseIds.Distinct().Chunk(IdsPerNotification))
        {
            session.QueueSqlCommand($"select pg_notify('{ChannelName}', ?)", string.Join(',', ids.Select(id => id.ToString("N"))));
        }
    }

    /// <summary>Follows a case: the reader gets a wake-up (several changes close together make one) until the watch is disposed.</summary>
    public Watch Follow(Guid caseId)
    {
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        _watchers.GetOrAdd(caseId, _ => new()).TryAdd(wake, 0);
        return new Watch(wake.Reader, () =>
        {
            if (_watchers.TryGetValue(caseId, out var watchers) && watchers.TryRemove(wake, out _) && watchers.IsEmpty)
            {
                _watchers.TryRemove(KeyValuePair.Create(caseId, watchers));
            }
        });
    }

    protected override Task OnListeningAsync(CancellationToken cancellation)
    {
        foreach (var watchers in _watchers.Values)
        {
            Wake(watchers);
        }
        return Task.CompletedTask;
    }

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellation)
    {
        foreach (var id in payload.Split(','))
        {
            if (Guid.TryParseExact(id, "N", out var caseId) && _watchers.TryGetValue(caseId, out var watchers))
            {
                Wake(watchers);
            }
        }
        return Task.CompletedTask;
    }

    private static void Wake(ConcurrentDictionary<Channel<bool>, byte> watchers)
    {
        foreach (var wake in watchers.Keys)
        {
            wake.Writer.TryWrite(true);
        }
    }

    /// <summary>One page's watch of a case.</summary>
    public sealed class Watch(ChannelReader<bool> changed, Action end) : IDisposable
    {
        public ChannelReader<bool> Changed { get; } = changed;

        public void Dispose() => end();
    }
}
