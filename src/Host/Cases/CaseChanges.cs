using System.Collections.Concurrent;
using System.Threading.Channels;
using Npgsql;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Cases;

/// <summary>
/// Tells the pages that follow a case that it changed, whichever Host wrote the change. Once a command commits, its case
/// wakes this Host's followers at once and is announced to the other Hosts through PostgreSQL <c>NOTIFY</c> by one
/// background loop that gathers the cases committed meanwhile into each notification: the command's own transaction
/// sends nothing (a notifying commit takes a database-wide lock, which would make the writers' commits wait for each
/// other). Each Host wakes the followers of the cases it hears of; they read the version and push it
/// (<c>GET /api/cases/{id}/changes</c>), and read it again whenever the stream is quiet for a while, so a notification
/// lost with a Host that stopped right after a commit delays a page, never strands it. After (re)connecting, a Host wakes
/// every follower, since a notification may have been missed meanwhile.
/// </summary>
public sealed class CaseChanges(NpgsqlDataSource database, ILogger<CaseChanges> log) : NotificationListener(database, log)
{
    public const string ChannelName = "vb_case_changed";

    /// <summary>Case ids per notification: a payload must stay under PostgreSQL's 8,000 bytes (33 per id).</summary>
    private const int IdsPerNotification = 200;

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Channel<bool>, byte>> _followers = new();
    private readonly Lock _following = new(); // a case's last follower leaving and a new one arriving must not cross
    private readonly ConcurrentDictionary<Channel<bool>, byte> _everyCase = new();
    private readonly Channel<Guid> _committed = System.Threading.Channels.Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _log = log;

    protected override string Channel => ChannelName;

    /// <summary>These cases' commands committed: wake their followers here, and tell the other Hosts.</summary>
    public void Committed(IEnumerable<Guid> caseIds)
    {
        foreach (var caseId in caseIds)
        {
            Wake(caseId);
            _committed.Writer.TryWrite(caseId);
        }
        WakeEveryCaseFollowers();
    }

    /// <summary>Follows a case: the reader gets a wake-up (several changes close together make one) until the watch is disposed.</summary>
    public Watch Follow(Guid caseId)
    {
        var wake = NewWake();
        lock (_following)
        {
            _followers.GetOrAdd(caseId, _ => new()).TryAdd(wake, 0);
        }
        return new Watch(wake.Reader, () =>
        {
            lock (_following)
            {
                if (_followers.TryGetValue(caseId, out var followers) && followers.TryRemove(wake, out _) && followers.IsEmpty)
                {
                    _followers.TryRemove(caseId, out _);
                }
            }
        });
    }

    /// <summary>Follows every case (a queue of them): woken by any change, several close together making one.</summary>
    public Watch FollowAll()
    {
        var wake = NewWake();
        _everyCase.TryAdd(wake, 0);
        return new Watch(wake.Reader, () => _everyCase.TryRemove(wake, out _));
    }

    private static Channel<bool> NewWake() =>
        System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _announcing = AnnounceAsync(_stopping.Token);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Sends what the writer committed before it stopped (it stops first: registered after this), then stops listening.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _committed.Writer.TryComplete();
        try
        {
            await (_announcing ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
        await base.StopAsync(cancellationToken);
    }

    private readonly CancellationTokenSource _stopping = new();
    private Task? _announcing;

    /// <summary>Sends what committed since the last notification, in one notification per <see cref="IdsPerNotification"/> cases.</summary>
    private async Task AnnounceAsync(CancellationToken stopping)
    {
        var ids = new HashSet<Guid>();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await _committed.Reader.WaitToReadAsync(stopping))
                {
                    return; // the Host stops, and everything committed was sent
                }
                while (ids.Count < IdsPerNotification && _committed.Reader.TryRead(out var id))
                {
                    ids.Add(id);
                }
                await using var notify = Database.CreateCommand($"select pg_notify('{ChannelName}', $1)");
                notify.Parameters.Add(new NpgsqlParameter { Value = string.Join(',', ids.Select(i => i.ToString("N"))) });
                await notify.ExecuteNonQueryAsync(stopping);
                ids.Clear();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The other Hosts' followers read the version again when their stream is quiet; try again with the next change.
                _log.LogWarning(ex, "Announcing {Count} changed cases to the other Hosts failed", ids.Count);
                ids.Clear();
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    protected override Task OnListeningAsync(CancellationToken cancellation)
    {
        foreach (var caseId in _followers.Keys)
        {
            Wake(caseId);
        }
        WakeEveryCaseFollowers();
        return Task.CompletedTask;
    }

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellation)
    {
        foreach (var id in payload.Split(','))
        {
            if (Guid.TryParseExact(id, "N", out var caseId))
            {
                Wake(caseId);
            }
        }
        WakeEveryCaseFollowers();
        return Task.CompletedTask;
    }

    /// <summary>Wakes the followers of one case; the queue's followers are woken once per batch of cases by the callers.</summary>
    private void Wake(Guid caseId)
    {
        if (_followers.TryGetValue(caseId, out var followers))
        {
            foreach (var wake in followers.Keys)
            {
                wake.Writer.TryWrite(true);
            }
        }
    }

    private void WakeEveryCaseFollowers()
    {
        foreach (var wake in _everyCase.Keys)
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
