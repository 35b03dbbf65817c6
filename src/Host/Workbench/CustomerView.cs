using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Documents;
using VirtualBranch.Workflows.ESign;

namespace VirtualBranch.Host.Workbench;

/// <summary>What the customer sees of their case: what is asked of them now, the contract to read, the documents to send.</summary>
public static class CustomerView
{
    public sealed record CustomerStep(string BookmarkId, string StepId, string ActivityType, string? Title);

    public sealed record Contract(string Title, string Text);

    public sealed record View(string Number, string Status, IReadOnlyList<CustomerStep> Steps, Contract? Contract, IReadOnlyList<DocumentCollection.ChecklistItem> Documents);

    public static void MapCustomerView(this WebApplication app) =>
        app.MapGet("/api/cases/{id:guid}/customer", Get).WithTags("Workbench").RequireAuthorization()
            .RequireCaseRead(CaseReadScope.CustomerView, CaseReadFilter.WorkingTheCase).WithName("CustomerView")
            .WithSummary("The customer's view of their case (customer link, or staff who may read the case).");

    private static async Task<Results<Ok<View>, ProblemHttpResult>> Get(Guid id, CaseCommandService cases, DefinitionCatalog catalog, IDocumentStore store,
        CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || catalog.Find(state.DefinitionId, state.DefinitionVersion) is not { } definition)
        {
            return ApiProblems.NotFound("No such case", "The case does not exist.");
        }
        var waiting = state.Bookmarks.Values.ToList();
        Contract? contract = null;
        if (waiting.Any(b => b.ActivityType == ESignature.TypeName))
        {
            await using var session = store.QuerySession();
            var events = await session.Events.FetchStreamAsync(id, token: cancellation);
            contract = events.Select(e => e.Data).OfType<ContractPresented>().Select(c => new Contract(c.Title, c.Text)).LastOrDefault();
        }
        var documents = waiting.Where(b => b.ActivityType == DocumentCollection.TypeName)
            .SelectMany(b => DocumentCollection.Checklist(definition.Activity(b.StepId)!)).ToList();
        return TypedResults.Ok(new View(state.Number, state.Status.ToString().ToLowerInvariant(),
            [.. waiting.Where(b => b.Role == Roles.Customer).Select(b => new CustomerStep(b.BookmarkId, b.StepId, b.ActivityType, b.Title))],
            contract, documents));
    }
}
