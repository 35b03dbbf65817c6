namespace VirtualBranch.Host.Cases.Idempotency;

/// <summary>Idempotency keys on case commands: the key store, and the buffering that lets a keyed request's body be fingerprinted.</summary>
public static class IdempotencySetup
{
    public static void AddIdempotencyKeys(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyKeys>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyKeys>());
    }

    /// <summary>Makes the endpoint (or every endpoint of a group) take an <c>Idempotency-Key</c>, and says so in its OpenAPI operation.</summary>
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder, IdempotencyFilter filter) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(filter).WithMetadata(new TakesIdempotencyKey());

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

/// <summary>Endpoint metadata: the endpoint takes an <c>Idempotency-Key</c> header (<see cref="IdempotencyFilter"/>).</summary>
public sealed record TakesIdempotencyKey;
