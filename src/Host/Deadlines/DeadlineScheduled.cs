namespace VirtualBranch.Host.Deadlines;

/// <summary>A waiting step has a deadline; sent through the outbox in the same transaction as the step.</summary>
public sealed record DeadlineScheduled(Guid CaseId, string BookmarkId, DateTimeOffset Deadline);
