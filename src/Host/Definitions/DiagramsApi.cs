using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Diagrams;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Compliance;

namespace VirtualBranch.Host.Definitions;

/// <summary>SVG diagrams of a definition version, and of a running case with where it is now.</summary>
public static class DiagramsApi
{
    public const string SvgType = "image/svg+xml";

    public static void MapDiagramsApi(this WebApplication app)
    {
        app.MapGet("/api/definitions/{id}/versions/{version:int}/diagram", (string id, int version, DefinitionCatalog catalog, ActivityRegistry activities) =>
                catalog.Find(id, version) is { } definition
                    ? Results.Text(Render(definition, activities, new HashSet<string>(), new HashSet<string>()), SvgType)
                    : ApiProblems.NotFound("No such definition version", $"There is no version {version} of '{id}'."))
            .WithTags("Definitions").RequireAuthorization(Policies.Reader).WithName("DefinitionDiagram").WithSummary("The flowchart as SVG.");
        app.MapGet("/api/cases/{id:guid}/diagram", async (Guid id, CaseCommandService cases, DefinitionCatalog catalog, ActivityRegistry activities, CancellationToken cancellation) =>
            {
                var state = await cases.CurrentAsync(id, null, cancellation);
                if (state is null || catalog.Find(state.DefinitionId, state.DefinitionVersion) is not { } definition)
                {
                    return ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
                }
                var current = state.Bookmarks.Values.Select(b => b.StepId).ToHashSet(StringComparer.Ordinal);
                return Results.Text(Render(definition, activities, current, state.Runs.Keys.Where(k => !current.Contains(k)).ToHashSet(StringComparer.Ordinal)), SvgType);
            })
            .WithTags("Cases").RequireAuthorization().RequireCaseRead(CaseReadScope.Workbench, CaseReadFilter.WorkingTheCase).WithName("CaseDiagram").WithSummary("The case's flowchart as SVG, its current steps highlighted.");
    }

    public static string Render(WorkflowDefinition definition, ActivityRegistry activities, ISet<string> current, ISet<string> done) =>
        DiagramSvg.Write(DiagramLayout.Of(definition), activities, new DiagramMarks(RecordedSpans.Of(definition), current, done),
            $"{definition.Name} (v{definition.Version})");
}
