using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VirtualBranch.Host.Auth;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>The two ways to call as someone: a bearer token (programs, and the customer's phone) or the pages' session cookie.</summary>
public sealed class SecuritySchemes : IOpenApiDocumentTransformer
{
    public const string Bearer = "bearer";
    public const string Cookie = "sessionCookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSecurityScheme>(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "`Authorization: Bearer <accessToken>`. Staff: the access token of `POST /api/auth/token` (15 minutes; " +
                "`POST /api/auth/refresh` renews it). The customer: the token of `POST /api/customer/session`, valid for their own case only.",
        });
        document.AddComponent<IOpenApiSecurityScheme>(Cookie, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = AuthSetup.CookieName,
            Description = "The pages' HttpOnly session cookie of `POST /api/auth/session`. A write with it must carry an `Origin` " +
                "header naming the Host; programs use a bearer token instead.",
        });
        return Task.CompletedTask;
    }
}
