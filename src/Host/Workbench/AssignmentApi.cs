using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// A free teller asks for the next case; the scenario's <c>policies.assignment</c> picks it: <c>first-come</c> (the
/// longest waiting, default) or <c>random</c> (so a customer cannot choose the official). The case is then locked to
/// that teller: other tellers cannot resume its steps or enter its video room. <c>round-robin</c> is assigned with
/// the opening (<see cref="RoundRobin"/>).
/// </summary>
public static class AssignmentApi
{
    public static void MapAssignmentApi(this WebApplication app) =>
        app.MapPost("/api/queue/next", Next).WithTags("Workbench").RequireAuthorization(p => p.RequireRole(Roles.Teller))
            .WithName("TakeNextCase").WithSummary("Assign the next unassigned case waiting for a teller to me, by the scenario's strategy.");

    /// <summary>
    /// For round-robin scenarios, the teller a new case goes to: the tellers in turn, by the case number's sequence (every
    /// Host draws numbers from one database sequence, so the turn holds across Hosts). The opening records it atomically.
    /// </summary>
    public static CaseAssignment? RoundRobin(string number, WorkflowDefinition definition, LocalAccounts accounts)
    {
        var tellers = accounts.UsersInRole(Roles.Teller);
        return StrategyOf(definition) != ScenarioPolicies.RoundRobin || tellers.Count == 0 || !long.TryParse(number.Split('-')[^1], out var sequence)
            ? null
            : new CaseAssignment(tellers[(int)(sequence % tellers.Count)], ScenarioPolicies.RoundRobin);
    }

    public static string StrategyOf(WorkflowDefinition? definition) => definition?.Policies.Assignment ?? ScenarioPolicies.FirstCome;

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Next(IDocumentStore store, CaseCommandService cases, DefinitionCatalog catalog,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var me = RequestActor.Of(http.User);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var session = store.QuerySession();
            var free = await session.Query<CaseSummary>()
                .Where(c => c.Status == "running" && c.Assignee == null && c.ExpectedRoles.Contains(Roles.Teller))
                .OrderBy(c => c.OpenedAt).Take(200).ToListAsync(cancellation);
            if (free.Count == 0)
            {
                return ApiProblems.NotFound("Nothing waiting", "No unassigned case waits for a teller.");
            }
            var first = free[0];
            var strategy = StrategyOf(catalog.Find(first.DefinitionId, first.DefinitionVersion));
            var pick = strategy == ScenarioPolicies.Random ? free[Random.Shared.Next(free.Count)] : first;
            var outcome = await cases.ExecuteAsync(pick.Id, new AssignCase(me.Id, strategy, me, clock.GetUtcNow()), RequestActor.Context(http), cancellation);
            if (outcome.Rejection is null)
            {
                return TypedResults.Ok(CaseBody.From(outcome.State!));
            }
        }
        return ApiProblems.Conflict("Busy", "Other tellers took the waiting cases at the same moment; ask again.");
    }
}
