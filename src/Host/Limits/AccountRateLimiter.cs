using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VirtualBranch.Host.Limits;

/// <summary>
/// Sign-in attempts per user name, right or wrong, whatever address they come from: a guesser spread over many addresses
/// still gets <c>Limits:SignInPerAccount</c> tries. The name is in the body, so this is an endpoint filter that runs after
/// binding, not a rate-limiting policy (those partition before the body is read).
/// </summary>
public sealed class AccountRateLimiter(AbuseLimits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimits.Fixed(user, limits.SignInPerAccount));

    /// <summary>A filter for an endpoint whose <typeparamref name="TRequest"/> names the account; a request without a name goes on to be refused as invalid.</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Filter<TRequest>(Func<TRequest, string?> user) =>
        async (context, next) =>
        {
            var name = context.Arguments.OfType<TRequest>().Select(user).FirstOrDefault();
            if (string.IsNullOrWhiteSpace(name))
            {
                return await next(context);
            }
            var limiter = context.HttpContext.RequestServices.GetRequiredService<AccountRateLimiter>();
            return limiter.Refusal(context.HttpContext, name) is { } refused ? refused : await next(context);
        };

    /// <summary>429 when the account has had its attempts for this window; null when this attempt may go on.</summary>
    public ProblemHttpResult? Refusal(HttpContext context, string user)
    {
        // Case folded, so "Teller" and "teller" share one count.
        using var lease = _limiter.AttemptAcquire(user.Trim().ToLowerInvariant());
        return lease.IsAcquired ? null
            : TooManyRequests.Result(context, $"At most {limits.SignInPerAccount.Permits} sign-in attempts per {limits.SignInPerAccount.Window} are allowed for one account.",
                TooManyRequests.RetryAfter(lease, limits.SignInPerAccount.Window));
    }

    public void Dispose() => _limiter.Dispose();
}
