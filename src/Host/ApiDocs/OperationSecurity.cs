using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// Each operation says who may call it, read from the same endpoint metadata the authorization middleware reads:
/// anonymous endpoints get <c>security: []</c>, the others either scheme of <see cref="SecuritySchemes"/>.
/// </summary>
public sealed class OperationSecurity : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Security = RequiresSignIn(context)
            ?
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.Bearer, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemes.Cookie, context.Document)] = [] },
            ]
            : [];
        return Task.CompletedTask;
    }

    /// <summary>Whether the authorization middleware would challenge an anonymous caller of this endpoint.</summary>
    public static bool RequiresSignIn(OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return false;
        }
        return metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any()
            || context.ApplicationServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is not null;
    }
}
