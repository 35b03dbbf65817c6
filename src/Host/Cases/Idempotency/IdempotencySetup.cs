namespace VirtualBranch.Host.Cases.Idempotency;

/// <summary>Idempotency keys on case commands: the key store, and the buffering that lets a keyed request's body be fingerprinted.</summary>
public static class IdempotencySetup
{
    public static void AddIdempotencyKeys(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyKeys>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyKeys>());
    }

    /// <summary>A request with an <c>Idempotency-Key</c> keeps its body readable after binding, for its fingerprint.</summary>
    public static void UseIdempotencyKeys(this WebApplication app) => app.Use((http, next) =>
    {
        if (http.Request.Headers.ContainsKey(IdempotencyKeys.Header))
        {
            http.Request.EnableBuffering();
        }
        return next(http);
    });
}
