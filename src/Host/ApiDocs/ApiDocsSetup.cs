using Scalar.AspNetCore;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and a browsable reference at /docs. The transformers make it a contract a
/// client can be generated from: who may call (security), what a refusal looks like (problem responses), stable names.
/// </summary>
public static class ApiDocsSetup
{
    public static void AddApiDocs(this WebApplicationBuilder builder) => builder.Services.AddOpenApi(options =>
    {
        options.CreateSchemaReferenceId = SchemaNames.For;
        options.AddSchemaTransformer<AnyJsonSchemas>();
        options.AddOperationTransformer<AnyJsonSchemas>();
        options.AddOperationTransformer<OperationIds>();
        options.AddOperationTransformer<OperationSecurity>();
        options.AddOperationTransformer<CommandHeaders>(); // before ProblemResponses, which shapes the 422 it adds
        options.AddOperationTransformer<ProblemResponses>();
        options.AddDocumentTransformer<ContractInfo>();
        options.AddDocumentTransformer<SecuritySchemes>();
        options.AddDocumentTransformer<ProblemDetailsSchema>();
        options.AddDocumentTransformer<TagDescriptions>();
    });

    public static void MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("VirtualBranch API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
