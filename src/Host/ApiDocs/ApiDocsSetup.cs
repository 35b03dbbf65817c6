using Scalar.AspNetCore;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>The OpenAPI document at /openapi/v1.json and a browsable reference at /docs.</summary>
public static class ApiDocsSetup
{
    public static void AddApiDocs(this WebApplicationBuilder builder) => builder.Services.AddOpenApi();

    public static void MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("VirtualBranch API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
