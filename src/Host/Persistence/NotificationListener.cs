using Npgsql;

namespace VirtualBranch.Host.Persistence;

/// <summary>
/// Listens on one PostgreSQL <c>NOTIFY</c> channel, the way the Hosts of one database tell each other of a change. A lost
/// connection is opened again; since notifications sent while it was down are gone, <see cref="OnListeningAsync"/> runs
/// after every <c>LISTEN</c> (the first one too) so the subclass can catch up from the tables. The Host starts taking
/// requests only once the first <c>LISTEN</c> is in place (or <see cref="FirstListenLimit"/> has passed with the database
/// unreachable; readiness then says so): a request served earlier could miss what another Host announces meanwhile, such
/// as a peer joining a video room.
/// </summary>
public abstract class NotificationListener(NpgsqlDataSource database, ILogger log) : BackgroundService
{
    /// <summary>How long the Host's start waits for the first <c>LISTEN</c>.</summary>
    public static readonly TimeSpan FirstListenLimit = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _listening;

    /// <summary>The database listened to.</summary>
    protected NpgsqlDataSource Database { get; } = database;

    /// <summary>The channel's name (an identifier: letters, digits and underscores).</summary>
    protected abstract string Channel { get; }

    /// <summary>Whether the listening connection is up now (for <c>/health/ready</c>).</summary>
    public bool IsListening => _listening;

    /// <summary>Runs on the listening connection before <c>LISTEN</c> (e.g. creating a table).</summary>
    protected virtual Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>After every (re)connection, once listening: catch up with what may have been missed.</summary>
    protected virtual Task OnListeningAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>One notification's payload, in the order they arrived.</summary>
    protected abstract Task OnNotificationAsync(string payload, CancellationToken cancellation);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            await _firstListen.Task.WaitAsync(FirstListenLimit, cancellationToken);
        }
        catch (TimeoutException)
        {
            log.LogWarning("Not yet listening on {Channel} after {Limit}; the Host starts anyway and keeps trying", Channel, FirstListenLimit);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await Database.OpenConnectionAsync(stoppingToken);
                await PrepareAsync(connection, stoppingToken);
                var arrived = new Queue<string>();
                connection.Notification += (_, e) => arrived.Enqueue(e.Payload); // raised inside WaitAsync, on this loop
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                _listening = true;
                await OnListeningAsync(stoppingToken);
                _firstListen.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                    while (arrived.TryDequeue(out var payload))
                    {
                        await OnNotificationAsync(payload, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Listening on {Channel} failed; listening again", Channel);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            finally
            {
                _listening = false;
            }
        }
    }
}
