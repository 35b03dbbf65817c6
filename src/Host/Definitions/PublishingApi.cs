using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Definitions;

/// <summary>Validating and publishing definitions (analysts), and what changed between two versions.</summary>
public static class PublishingApi
{
    public sealed record ProblemItem(string Path, string Code, string Message, string Detail);

    /// <summary>Problems refuse the definition; warnings (a loop that never waits) do not.</summary>
    public sealed record ValidationReport(bool Valid, string? Id, int? Version, string? ContentHash, IReadOnlyList<ProblemItem> Problems, IReadOnlyList<ProblemItem> Warnings);

    public sealed record Published(string Id, int Version, string ContentHash);

    public static void MapPublishingApi(this WebApplication app)
    {
        // A definition is read whole by its own cap, larger than the JSON body cap other endpoints keep.
        var definitions = app.MapGroup("/api/definitions").WithTags("Definitions")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(DefinitionParser.MaxBytes));
        definitions.MapPost("/validate", Validate).RequireAuthorization(Policies.Reader).WithName("ValidateDefinition")
            .WithSummary("Every problem of a definition at once: JSON path, code and a sentence (Accept-Language: zh or en).");
        definitions.MapPost("/", Publish).RequireAuthorization(Policies.Analyst).WithName("PublishDefinition").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Publish a new version if it validates; an existing version is never overwritten.");
        definitions.MapPost("/import-elsa", ElsaImportApi.Import).RequireAuthorization(Policies.Analyst).WithName("ImportElsaWorkflow")
            .WithSummary("Converts an Elsa 3 workflow definition (?partial=true keeps marked placeholders): what became of each activity, and the definition's problems. Nothing is stored.");
        definitions.MapGet("/{id}/diff", Diff).RequireAuthorization(Policies.Reader).WithName("DiffDefinitionVersions")
            .WithSummary("Activities and connections added, removed and changed between ?from=N and ?to=M.");
    }

    public static ValidationReport Report(DefinitionReadResult read, bool chinese) => new(
        read.IsValid, read.Definition?.Id, read.Definition?.Version, read.Definition?.ContentHash,
        [.. read.Problems.Select(p => Item(p, chinese))], [.. read.Warnings.Select(p => Item(p, chinese))]);

    private static ProblemItem Item(DefinitionProblem problem, bool chinese) => new(problem.Path, problem.Code, ProblemCatalog.Message(problem, chinese), problem.Message);

    private static async Task<Results<Ok<ValidationReport>, ProblemHttpResult>> Validate(HttpRequest request, DefinitionParser parser, CancellationToken cancellation)
    {
        var text = await Body(request, cancellation);
        return text is null
            ? ApiProblems.Invalid($"A definition is at most {DefinitionParser.MaxBytes:N0} bytes.", [new("", "Too large.")])
            : TypedResults.Ok(Report(parser.Read(text), ProblemCatalog.WantsChinese(request.Headers.AcceptLanguage)));
    }

    private static async Task<Results<Created<Published>, ProblemHttpResult>> Publish(HttpRequest request, DefinitionParser parser,
        DefinitionLibrary library, CancellationToken cancellation)
    {
        var text = await Body(request, cancellation);
        if (text is null)
        {
            return ApiProblems.Invalid($"A definition is at most {DefinitionParser.MaxBytes:N0} bytes.", [new("", "Too large.")]);
        }
        var read = parser.Read(text);
        var chinese = ProblemCatalog.WantsChinese(request.Headers.AcceptLanguage);
        if (read.Definition is not { } definition)
        {
            return ApiProblems.Invalid($"The definition has {read.Problems.Count} problem(s); nothing was published.",
                read.Problems.Select(p => new FieldError(p.Path, $"[{p.Code}] {ProblemCatalog.Message(p, chinese)}")));
        }
        if (await library.PublishAsync(definition, RequestActor.Of(request.HttpContext.User).Id, cancellation) is { } refused)
        {
            return ApiProblems.Conflict("The version exists", refused);
        }
        return TypedResults.Created($"/api/definitions/{definition.Id}/versions/{definition.Version}", new Published(definition.Id, definition.Version, definition.ContentHash));
    }

    private static Results<Ok<DefinitionDiff>, ProblemHttpResult> Diff(string id, int from, int to, DefinitionCatalog catalog) =>
        catalog.Find(id, from) is not { } before ? ApiProblems.NotFound("No such version", $"'{id}' has no version {from}.")
        : catalog.Find(id, to) is not { } after ? ApiProblems.NotFound("No such version", $"'{id}' has no version {to}.")
        : TypedResults.Ok(DefinitionDiff.Between(before, after));

    internal static async Task<string?> Body(HttpRequest request, CancellationToken cancellation)
    {
        var bytes = await Media.ContentDigest.ReadBodyAsync(request, DefinitionParser.MaxBytes + 1, cancellation);
        return bytes is null || bytes.Length > DefinitionParser.MaxBytes ? null : Encoding.UTF8.GetString(bytes);
    }
}
