using Hangfire;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Deadlines;
using VirtualBranch.Host.Evidence;

namespace VirtualBranch.Host.Jobs;

/// <summary>
/// Registers the recurring jobs (the deadline sweep every minute, the retention sweep at 02:30, expired idempotency keys hourly) without holding up
/// start-up. Registering takes Hangfire's distributed lock; a Host killed while holding it leaves the lock behind until
/// it times out (minutes), and the next start used to wait 15 s on it and then crash. Now the Host starts and serves,
/// and the registration is retried until it lands (it is idempotent).
/// </summary>
public sealed class RecurringJobs(IRecurringJobManager jobs, ILogger<RecurringJobs> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // AddOrUpdate blocks while it waits for the lock: never on the start-up path
        var wait = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                jobs.AddOrUpdate<DeadlineSweep>(DeadlineSweep.JobId, sweep => sweep.RunAsync(CancellationToken.None), Cron.Minutely());
                jobs.AddOrUpdate<RetentionSweep>(RetentionSweep.JobId, sweep => sweep.RunAsync(CancellationToken.None), "30 2 * * *");
                jobs.AddOrUpdate<IdempotencyKeys>(IdempotencyKeys.SweepJobId, keys => keys.SweepAsync(CancellationToken.None), Cron.Hourly());
                log.LogInformation("Recurring jobs registered: {Deadline} every minute, {Retention} at 02:30, {Keys} hourly",
                    DeadlineSweep.JobId, RetentionSweep.JobId, IdempotencyKeys.SweepJobId);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("The recurring jobs are not registered yet ({Reason}); trying again in {Seconds} s", ex.Message, wait.TotalSeconds);
                await Task.Delay(wait, stoppingToken);
                wait = TimeSpan.FromSeconds(Math.Min(30, wait.TotalSeconds * 2));
            }
        }
    }
}
