using JasperFx;
using Marten;
using Marten.Exceptions;
using VirtualBranch.Host.Limits;

namespace VirtualBranch.Host.Auth.Lockout;

/// <summary>
/// Reads and writes <see cref="AccountLockout"/> records: a wrong password counts (under optimistic concurrency, so that
/// guesses racing on several Hosts each count), a right one resets, a supervisor unlocks early.
/// </summary>
public sealed class AccountLockouts(IDocumentStore store, AbuseLimits limits, TimeProvider clock, ILogger<AccountLockouts> log)
{
    // Concurrent wrong passwords for one name make a save stale; the count is taken again on what is stored.
    private const int Attempts = 10;

    /// <summary>The name's record, or null when it has none (the usual case).</summary>
    public async Task<AccountLockout?> FindAsync(string user, CancellationToken cancellation)
    {
        await using var documents = store.QuerySession();
        return await documents.LoadAsync<AccountLockout>(user, cancellation);
    }

    /// <summary>Counts one wrong password; the time the name is locked until when this one locked it, else null.</summary>
    public async Task<DateTimeOffset?> RecordFailureAsync(string user, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var documents = store.LightweightSession();
            var current = await documents.LoadAsync<AccountLockout>(user, cancellation);
            var next = AccountLockout.AfterFailure(current, user, clock.GetUtcNow(), limits.Lockout);
            if (current is null)
            {
                documents.Insert(next);
            }
            else
            {
                documents.Update(next);
            }
            try
            {
                await documents.SaveChangesAsync(cancellation);
            }
            catch (Exception ex) when (ex is ConcurrencyException or DocumentAlreadyExistsException && attempt < Attempts)
            {
                continue;
            }
            if (next.LockedUntil is { } until)
            {
                log.LogWarning("Sign-in for {User} locked until {LockedUntil:u} after {Failures} wrong passwords in a row", user, until, next.Failures);
            }
            return next.LockedUntil;
        }
    }

    /// <summary>A right password: the count starts again.</summary>
    public async Task ResetAsync(string user, CancellationToken cancellation)
    {
        await using var documents = store.LightweightSession();
        documents.Delete<AccountLockout>(user);
        await documents.SaveChangesAsync(cancellation);
    }

    /// <summary>Lifts a lock before it runs out; whether there was one to lift.</summary>
    public async Task<bool> UnlockAsync(string user, string by, CancellationToken cancellation)
    {
        if (await FindAsync(user, cancellation) is not { } found || !found.IsLockedAt(clock.GetUtcNow()))
        {
            return false;
        }
        await ResetAsync(user, cancellation);
        log.LogWarning("Sign-in for {User} unlocked by {By} before {LockedUntil:u}", user, by, found.LockedUntil);
        return true;
    }
}
