using VirtualBranch.Host.Configuration;
using System.Threading.Channels;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>
/// Writes checkpoints: on a schedule (<c>Engine:CheckpointIntervalSeconds</c>, every 60 s by default, 0 for none) over every
/// case changed since, and soon after each seal over the cases just sealed (several seals that arrive together share one
/// checkpoint). Every Host runs it; the writer's lock makes them take turns, and a run that finds nothing new writes nothing.
/// </summary>
public sealed class CheckpointService(CheckpointWriter writer, EngineOptions options, ILogger<CheckpointService> log) : BackgroundService
{
    public static readonly string IntervalKey = EngineOptions.KeyOf(nameof(EngineOptions.CheckpointIntervalSeconds));

    private static readonly TimeSpan SealGathering = TimeSpan.FromSeconds(2);

    private readonly Channel<Guid> _sealed = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>A case was sealed (its seal is committed): anchor it in the next checkpoint, without waiting for the schedule.</summary>
    public void Sealed(Guid caseId) => _sealed.Writer.TryWrite(caseId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.CheckpointIntervalSeconds;
        using var timer = seconds > 0 ? new PeriodicTimer(TimeSpan.FromSeconds(seconds)) : null;
        var tick = timer?.WaitForNextTickAsync(stoppingToken).AsTask() ?? Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => false, TaskScheduler.Default);
        var seal = _sealed.Reader.WaitToReadAsync(stoppingToken).AsTask();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var woken = await Task.WhenAny(tick, seal);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                if (woken == seal)
                {
                    // Seals that close within a moment of each other share one checkpoint, so a busy day is not a checkpoint per case.
                    await Task.Delay(SealGathering, stoppingToken);
                    var ids = new HashSet<Guid>();
                    while (_sealed.Reader.TryRead(out var id))
                    {
                        ids.Add(id);
                    }
                    if (ids.Count > 0)
                    {
                        try
                        {
                            await writer.WriteAsync(ids, stoppingToken);
                        }
                        catch (Exception) when (!stoppingToken.IsCancellationRequested)
                        {
                            foreach (var id in ids)
                            {
                                _sealed.Writer.TryWrite(id); // tried again with the next seal or tick, not lost
                            }
                            throw;
                        }
                    }
                    seal = _sealed.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }
                else
                {
                    await tick;
                    await writer.WriteAsync(null, stoppingToken);
                    tick = timer!.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Writing a checkpoint failed; the next run covers what this one would have");
                if (tick.IsCompleted && timer is not null)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                if (seal.IsCompleted)
                {
                    seal = _sealed.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }
            }
        }
    }
}
