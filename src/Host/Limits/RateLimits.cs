using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Limits;

/// <summary>
/// ASP.NET Core rate limiting on what an outsider can hammer: sign-in and customer codes per client address, uploads per
/// signed-in caller, CSP reports per address. Endpoints opt in with <c>RequireRateLimiting(RateLimits.X)</c>; a refusal is
/// <see cref="TooManyRequests"/>. Counts are per Host process and in memory: several Hosts each allow the limit.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string CustomerCodes = "customer-codes";
    public const string Uploads = "uploads";
    public const string CspReports = "csp-reports";

    public static void AddRateLimits(this WebApplicationBuilder builder)
    {
        var limits = Bind(builder.Configuration);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<AccountRateLimiter>();
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(SignIn, context => Fixed(ClientAddress.Of(context), limits.SignInPerAddress));
            options.AddPolicy(CustomerCodes, context => Fixed(ClientAddress.Of(context), limits.CustomerCodesPerAddress));
            options.AddPolicy(CspReports, context => Fixed(ClientAddress.Of(context), limits.CspReportsPerAddress));
            // A recorder behind a branch's one address must not starve its neighbours: uploads count per signed-in caller.
            options.AddPolicy(Uploads, context => Fixed(context.User.FindFirst("sub")?.Value is { Length: > 0 } caller ? "caller:" + caller : ClientAddress.Of(context),
                limits.UploadsPerCaller));
            options.OnRejected = (rejected, _) =>
            {
                var policy = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var (limit, sentence) = Describe(policy, limits);
                return new ValueTask(TooManyRequests.WriteAsync(rejected.HttpContext, sentence, TooManyRequests.RetryAfter(rejected.Lease, limit.Window)));
            };
        });
    }

    /// <summary>After authentication, so that uploads count by who is signed in.</summary>
    public static void UseRateLimits(this WebApplication app) => app.UseRateLimiter();

    /// <summary>The <c>Limits</c> section over the defaults; a malformed or impossible value stops the start, naming its key.</summary>
    public static AbuseLimits Bind(IConfiguration configuration)
    {
        AbuseLimits limits;
        try
        {
            limits = configuration.GetSection(AbuseLimits.Section).Get<AbuseLimits>() ?? new AbuseLimits();
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationProblemException($"the {AbuseLimits.Section} section cannot be read: {ex.InnerException?.Message ?? ex.Message}");
        }
        var problems = limits.Problems();
        return problems.Count == 0 ? limits : throw new ConfigurationProblemException(string.Join(" ", problems));
    }

    /// <summary>A fixed window per key: the window's end is known, so a refusal can say when to come back.</summary>
    public static RateLimitPartition<string> Fixed(string key, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = limit.Window,
            QueueLimit = 0, // a caller over the limit is told at once, not kept waiting
            AutoReplenishment = true,
        });

    private static (RateLimit Limit, string Sentence) Describe(string? policy, AbuseLimits limits) => policy switch
    {
        SignIn => (limits.SignInPerAddress, $"At most {limits.SignInPerAddress.Permits} sign-in attempts per {limits.SignInPerAddress.Window} come from one address."),
        CustomerCodes => (limits.CustomerCodesPerAddress,
            $"At most {limits.CustomerCodesPerAddress.Permits} customer-link and code requests per {limits.CustomerCodesPerAddress.Window} come from one address."),
        Uploads => (limits.UploadsPerCaller, $"At most {limits.UploadsPerCaller.Permits} uploads per {limits.UploadsPerCaller.Window} come from one caller."),
        _ => (limits.CspReportsPerAddress, $"At most {limits.CspReportsPerAddress.Permits} CSP reports per {limits.CspReportsPerAddress.Window} come from one address."),
    };
}
