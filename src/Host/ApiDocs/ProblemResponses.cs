using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace VirtualBranch.Host.ApiDocs;

/// <summary>
/// Each operation lists the refusals it can answer with, as problem details (<see cref="ProblemDetailsSchema"/>), derived
/// from what the Host does for every endpoint of that kind. A status the endpoint declares itself (<c>ProducesProblem</c>)
/// stays, described and shaped like the others.
/// </summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = description.RelativePath ?? "";
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var write = !HttpMethods.IsGet(description.HttpMethod ?? "GET");
        var statuses = new SortedSet<int>();
        // Binding failures of a body or a parameter are 400 (ProblemsSetup), as are the handlers' own validation results.
        if (operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }
        if (OperationSecurity.RequiresSignIn(context))
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }
        // SameOriginWrites refuses any write that carries only the session cookie from another site, signed in or not.
        if (write)
        {
            statuses.Add(StatusCodes.Status403Forbidden);
        }
        if (path.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }
        // A command on a case or its recording meets the case's state: already resumed, closed, another version.
        if (write && (path.StartsWith("api/cases/{id", StringComparison.Ordinal) || path.StartsWith("api/recordings/", StringComparison.Ordinal)))
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }
        // JsonBodyLimit caps every JSON body; an endpoint that reads a larger one declares its own limit.
        if (HasJsonBody(operation) || metadata.OfType<IRequestSizeLimitMetadata>().Any())
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }
        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse());
        }
        foreach (var (code, response) in operation.Responses.Where(r => r.Key.StartsWith('4') && r.Value is OpenApiResponse).ToList())
        {
            operation.Responses[code] = Problem(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), context.Document!);
        }
        return Task.CompletedTask;
    }

    private static bool HasJsonBody(OpenApiOperation operation) =>
        operation.RequestBody?.Content?.Keys.Any(type => type.Contains("json", StringComparison.OrdinalIgnoreCase)) == true;

    private static OpenApiResponse Problem(int status, OpenApiDocument document) => new()
    {
        Description = Meaning(status),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemDetailsSchema.MediaType] = new() { Schema = new OpenApiSchemaReference(ProblemDetailsSchema.Name, document) },
        },
    };

    private static string Meaning(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is invalid: `errors` names each field (a JSON pointer) and what is wrong with it.",
        StatusCodes.Status401Unauthorized => "Not signed in, or the token or session has ended.",
        StatusCodes.Status403Forbidden => "Signed in, but this role or this person may not do this; `detail` says why.",
        StatusCodes.Status404NotFound => "No such resource (or none this caller may know of).",
        StatusCodes.Status409Conflict => "The case is not in a state for this: already done, closed, or changed since the version given.",
        StatusCodes.Status410Gone => "The link has expired or was replaced.",
        StatusCodes.Status413PayloadTooLarge => "The body is larger than this endpoint accepts; nothing was read or changed.",
        StatusCodes.Status422UnprocessableEntity => "The idempotency key was used for another request.",
        StatusCodes.Status429TooManyRequests => "Too many tries; wait or ask for a new code.",
        _ => "The request was refused; `title` and `detail` say why.",
    };
}
