using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// The headers a command takes, from the same endpoint metadata the Host acts on: <c>Idempotency-Key</c> where a retry is
/// made safe by it (<see cref="TakesIdempotencyKey"/>; a key reused for another request is 422), and <c>If-Match</c> where
/// the command can be made conditional on the case's version (<see cref="TakesIfMatch"/>). A generated client gets both
/// as parameters.
/// </summary>
public sealed class CommandHeaders : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<TakesIdempotencyKey>().Any())
        {
            Add(operation, IdempotencyKeys.Header,
                $"Any string of 1 to {IdempotencyKeys.MaxLength} characters (a UUID, say), new for each command: the same key with the same request "
                + "answers what its first use answered and does nothing twice; with another request it is refused (422).",
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeys.MaxLength });
            operation.Responses ??= [];
            operation.Responses.TryAdd("422", new OpenApiResponse());
        }
        if (metadata.OfType<TakesIfMatch>().Any())
        {
            Add(operation, "If-Match", "The case version the caller saw, in quotes (\"7\", the ETag of the case): a case that has moved on since is refused (409).",
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[0-9]+\"$" });
        }
        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, string name, string description, OpenApiSchema schema)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = schema });
    }
}
