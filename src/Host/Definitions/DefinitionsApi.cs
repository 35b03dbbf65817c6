using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Definitions;

/// <summary>Reading definitions: the latest version of each, and every version of one.</summary>
public static class DefinitionsApi
{
    public sealed record DefinitionListItem(string Id, int Version, string Name, string Description, string ContentHash, JsonElement Inputs);

    public static void MapDefinitionsApi(this WebApplication app)
    {
        var definitions = app.MapGroup("/api/definitions").WithTags("Definitions").RequireAuthorization(Policies.Reader);
        definitions.MapGet("/", List).WithName("ListDefinitions").WithSummary("The latest version of every definition, with the JSON Schema of its case data.");
        definitions.MapGet("/{id}/versions", Versions).WithName("ListDefinitionVersions").WithSummary("Every published version of a definition.");
        app.MapPublishingApi();
        app.MapDiagramsApi();
        definitions.MapGet("/{id}/versions/{version:int}", Version).WithName("GetDefinitionVersion").WithSummary("One version's exact (canonical) JSON.");
    }

    private static Ok<IReadOnlyList<DefinitionListItem>> List(DefinitionCatalog catalog) =>
        TypedResults.Ok<IReadOnlyList<DefinitionListItem>>([.. catalog.LatestOfEach().Select(Item)]);

    private static Results<Ok<IReadOnlyList<DefinitionListItem>>, ProblemHttpResult> Versions(string id, DefinitionCatalog catalog) =>
        catalog.Versions(id) is { Count: > 0 } versions
            ? TypedResults.Ok<IReadOnlyList<DefinitionListItem>>([.. versions.Select(Item)])
            : ApiProblems.NotFound("No such definition", $"There is no definition '{id}'.");

    private static Results<ContentHttpResult, ProblemHttpResult> Version(string id, int version, DefinitionCatalog catalog) =>
        catalog.Find(id, version) is { } definition
            ? TypedResults.Content(definition.CanonicalJson, "application/json")
            : ApiProblems.NotFound("No such definition version", $"There is no version {version} of '{id}'.");

    private static DefinitionListItem Item(WorkflowDefinition d) => new(d.Id, d.Version, d.Name, d.Description, d.ContentHash, d.Inputs);
}
