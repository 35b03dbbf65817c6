using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Limits;

/// <summary>The one answer to a caller over a limit: 429 problem details saying which limit and when to come back, with <c>Retry-After</c>.</summary>
public static class TooManyRequests
{
    /// <summary>When the refused lease says it (a fixed window does), else the whole window: never sooner than a second.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan window) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : window;

    /// <summary>The refusal, with <c>Retry-After</c> already on the response; <paramref name="limit"/> says which limit, as a sentence.</summary>
    public static ProblemHttpResult Result(HttpContext context, string limit, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "Too many requests",
            $"{limit} Nothing was done; try again in {seconds} s.", []);
    }

    public static Task WriteAsync(HttpContext context, string limit, TimeSpan retryAfter) => Result(context, limit, retryAfter).ExecuteAsync(context);
}
