using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// The one shape of every refusal, as <see cref="Problems.ApiProblems"/> and <see cref="Problems.ProblemsSetup"/> write it:
/// RFC 9457 problem details with the request's <c>traceId</c> and, for invalid input, <c>errors</c> at JSON pointers.
/// It replaces the framework's own ProblemDetails schema, which knows neither.
/// </summary>
public sealed class ProblemDetailsSchema : IOpenApiDocumentTransformer
{
    public const string Name = "ProblemDetails";
    public const string FieldErrorName = "FieldError";
    public const string MediaType = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas.Remove(Name);
        document.Components.Schemas.Remove(FieldErrorName);
        document.AddComponent<IOpenApiSchema>(Name, Schema(document));
        document.AddComponent<IOpenApiSchema>(FieldErrorName, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One field of the request that is wrong, and why.",
            Required = new HashSet<string>(["path", "message"], StringComparer.Ordinal),
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["path"] = Text("A JSON pointer to the field at fault: in the request (/definitionId), or in the case data or step input it carries (/amount); or the header at fault (If-Match)."),
                ["message"] = Text("What is wrong there."),
            },
        });
        return Task.CompletedTask;
    }

    private static OpenApiSchema Schema(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Why a request was refused: `title` says what, `detail` why, `errors` where.",
        Required = new HashSet<string>(["type", "title", "status"], StringComparer.Ordinal),
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = Text("A URI for the status, e.g. https://httpstatuses.io/409.", "uri"),
            ["title"] = Text("What went wrong, in one line."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = Text("Why, and what to do about it."),
            ["instance"] = Text("The request's path."),
            ["traceId"] = Text("Identifies the request in the Host's log."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "For invalid input: one entry per field.",
                Items = new OpenApiSchemaReference(FieldErrorName, document),
            },
        },
        Example = JsonNode.Parse("""
            {"type":"https://httpstatuses.io/409","title":"Step already resumed","detail":"The step intake is not waiting any more.","status":409,"instance":"/api/cases/0195…/bookmarks/…","traceId":"0HN…"}
            """),
    };

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };
}
