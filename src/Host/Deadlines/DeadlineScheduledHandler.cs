using Hangfire;

namespace VirtualBranch.Host.Deadlines;

/// <summary>Turns a deadline into a Hangfire job, which survives restarts in PostgreSQL.</summary>
public static class DeadlineScheduledHandler
{
    public static void Handle(DeadlineScheduled message, IBackgroundJobClient jobs) =>
        jobs.Schedule<DeadlineJob>(job => job.FireAsync(message.CaseId, message.BookmarkId, CancellationToken.None), message.Deadline);
}
