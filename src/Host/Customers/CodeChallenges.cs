using Marten;
using JasperFx;
using Marten.Schema;

namespace VirtualBranch.Host.Customers;

/// <summary>A six-digit code sent to the customer for one purpose (opening a link, confirming a step).</summary>
[UseOptimisticConcurrency]
public sealed class CodeChallenge
{
    /// <summary>The purpose: <c>open/{linkId}</c> or <c>step/{linkId}/{bookmarkId}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid CaseId { get; set; }

    public string? CodeHash { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int CodesSent { get; set; }

    public int WrongTries { get; set; }
}

/// <summary>How a typed code fared.</summary>
public enum CodeCheck
{
    Accepted,
    Wrong,
    Expired,
    TooManyTries,
    NoneSent,
}

/// <summary>
/// Sends and checks one-time codes. A code lives five minutes and allows five wrong tries; a purpose gets at most five
/// codes. So a link admits at most 25 guesses at a million codes before it must be issued again.
/// </summary>
public sealed class CodeChallenges(IDocumentStore store, OneTimeCodes codes, ICustomerMessenger messenger, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const int MaxCodes = 5;
    public const int MaxWrongTries = 5;

    /// <summary>Sends a fresh code (the earlier one stops working); false when the purpose has used up its codes.</summary>
    public async Task<(bool Sent, DateTimeOffset ExpiresAt)> SendAsync(string purpose, Guid caseId, string contact, Func<string, string> text, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var challenge = await session.LoadAsync<CodeChallenge>(purpose, cancellation) ?? new CodeChallenge { Id = purpose, CaseId = caseId };
        if (challenge.CodesSent >= MaxCodes)
        {
            return (false, challenge.ExpiresAt);
        }
        var code = OneTimeCodes.NewDigits();
        challenge.CodeHash = codes.Hash(purpose, code);
        challenge.ExpiresAt = clock.GetUtcNow() + Lifetime;
        challenge.CodesSent++;
        challenge.WrongTries = 0;
        session.Store(challenge);
        await session.SaveChangesAsync(cancellation);
        await messenger.SendAsync(new CustomerMessage(caseId, contact, "code", text(code), Code: code), cancellation);
        return (true, challenge.ExpiresAt);
    }

    /// <summary>Checks a typed code; an accepted code is spent, a wrong one counts against the tries.</summary>
    public async Task<(CodeCheck Result, int TriesLeft)> CheckAsync(string purpose, string code, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var challenge = await session.LoadAsync<CodeChallenge>(purpose, cancellation);
        if (challenge?.CodeHash is null)
        {
            return (CodeCheck.NoneSent, 0);
        }
        if (challenge.WrongTries >= MaxWrongTries)
        {
            return (CodeCheck.TooManyTries, 0);
        }
        if (challenge.ExpiresAt <= clock.GetUtcNow())
        {
            return (CodeCheck.Expired, 0);
        }
        var right = codes.Matches(purpose, code.Trim(), challenge.CodeHash);
        if (right)
        {
            challenge.CodeHash = null;
        }
        else
        {
            challenge.WrongTries++;
        }
        session.Store(challenge);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (ConcurrencyException)
        {
            return (CodeCheck.NoneSent, 0); // another request spent or counted it first: this one proves nothing
        }
        return right ? (CodeCheck.Accepted, 0) : (CodeCheck.Wrong, MaxWrongTries - challenge.WrongTries);
    }
}
