using Marten.Schema;
using VirtualBranch.Host.Limits;

namespace VirtualBranch.Host.Auth.Lockout;

/// <summary>
/// Wrong passwords given in a row for one user name, and the lock they earned: a document in PostgreSQL, so a lock holds
/// on every Host and across restarts. Kept for any name typed, known or not, so a lock does not tell which accounts exist;
/// a right password deletes it.
/// </summary>
[UseOptimisticConcurrency]
public sealed record AccountLockout
{
    /// <summary>The user name as typed.</summary>
    public required string Id { get; init; }

    /// <summary>Wrong passwords since the last right one (or since the last lock ran out).</summary>
    public required int Failures { get; init; }

    public required DateTimeOffset LastFailureAt { get; init; }

    /// <summary>Until when no password, right or wrong, is checked; null when not locked.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil > now;

    /// <summary>The record after one more wrong password: the count starts again once a lock has run out, and reaching the policy's count locks.</summary>
    public static AccountLockout AfterFailure(AccountLockout? current, string user, DateTimeOffset now, LockoutPolicy policy)
    {
        var failures = current is null || current.LockedUntil <= now ? 1 : current.Failures + 1;
        return new AccountLockout
        {
            Id = user,
            Failures = failures,
            LastFailureAt = now,
            LockedUntil = failures >= policy.Failures ? now + policy.Duration : null,
        };
    }
}
