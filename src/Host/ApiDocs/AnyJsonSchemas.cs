using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// Free JSON that may be absent (<c>JsonElement?</c>: a signal's payload, a step's input) comes out as
/// <c>oneOf: [null, {}]</c>, which no value satisfies only once (null matches both). Any JSON is just <c>{}</c>.
/// Properties pass the schema transformer; a request body is wrapped after it, so the operation pass catches those.
/// </summary>
public sealed class AnyJsonSchemas : IOpenApiSchemaTransformer, IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        Simplify(schema);
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var media in operation.RequestBody?.Content?.Values ?? [])
        {
            Simplify(media.Schema);
        }
        return Task.CompletedTask;
    }

    private static void Simplify(IOpenApiSchema? schema)
    {
        if (schema is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, OpenApiSchema any] } nullable && IsEmpty(any))
        {
            nullable.OneOf = null;
        }
    }

    private static bool IsEmpty(OpenApiSchema schema) =>
        schema.Type is null && schema.Properties is null or { Count: 0 } && schema.Items is null
        && schema.OneOf is null && schema.AnyOf is null && schema.AllOf is null;
}
