using Hangfire;

namespace VirtualBranch.Host.Deadlines;

/// <summary>Turns a deadline into a Hangfire job, which survives restarts in PostgreSQL.</summary>
public static class DeadlineScheduledHandler
{
    public static void Handle(DeadlineScheduled message, IBackgroundJobClient jobs, ILogger logger)
    {
        var job = jobs.Schedule<DeadlineJob>(job => job.FireAsync(message.CaseId, message.BookmarkId, CancellationToken.None), RoundUp(message.Deadline));
        logger.LogInformation("Deadline of {BookmarkId} on case {CaseId} scheduled for {Deadline:O} as job {JobId}", message.BookmarkId, message.CaseId, message.Deadline, job);
    }

    /// <summary>Hangfire keeps schedules in whole seconds and would otherwise run a job up to a second early.</summary>
    public static DateTimeOffset RoundUp(DateTimeOffset at) =>
        new(at.UtcTicks + (TimeSpan.TicksPerSecond - at.UtcTicks % TimeSpan.TicksPerSecond) % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
