using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Cases;

/// <summary>The case API: reading cases and queues here, commands in <see cref="CaseCommandsApi"/>.</summary>
public static class CasesApi
{
    public static void MapCasesApi(this WebApplication app)
    {
        var cases = app.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization();
        cases.MapGet("/", Queue).WithName("ListCases").WithSummary("The queue: case summaries filtered by status, expected role, assignee, definition, case number or opening day.");
        cases.MapGet("/{id:guid}", Get).RequireCaseRead(CaseReadScope.Workbench).WithName("GetCase").WithSummary("A case with what it waits for; ETag is its stream version.");
        app.MapGroup("/api/cases").WithTags("Cases").MapCaseCommands();
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseSummary>>, ProblemHttpResult>> Queue(IDocumentStore store, HttpContext http, AccessLog log, string? status,
        string? role, string? assignee, string? definitionId, string? number, DateOnly? openedOn, int? limit, CancellationToken cancellation)
    {
        if (CaseReadRule.Refusal(http.User, null, CaseReadScope.Workbench) is { } refused)
        {
            return refused;
        }
        await using var session = store.QuerySession();
        IQueryable<CaseSummary> query = session.Query<CaseSummary>();
        var reader = RequestActor.Of(http.User);
        if (reader.Role == Roles.Teller)
        {
            query = query.Where(CaseReadRule.InQueueOf(reader.Id));
        }
        if (!string.IsNullOrEmpty(number))
        {
            query = query.Where(c => c.Number == number);
        }
        if (openedOn is { } day)
        {
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var to = from.AddDays(1);
            query = query.Where(c => c.OpenedAt >= from && c.OpenedAt < to);
        }
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(c => c.Status == status);
        }
        if (!string.IsNullOrEmpty(definitionId))
        {
            query = query.Where(c => c.DefinitionId == definitionId);
        }
        if (!string.IsNullOrEmpty(role))
        {
            query = query.Where(c => c.ExpectedRoles.Contains(role));
        }
        if (!string.IsNullOrEmpty(assignee))
        {
            query = query.Where(c => c.Assignee == assignee);
        }
        var page = await query.OrderBy(c => c.DueAt).ThenBy(c => c.OpenedAt).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(cancellation);
        if (reader.Role == Roles.Regulator)
        {
            // A regulator's search is the start of an inspection; the work lists tellers and supervisors poll are not logged.
            await log.RecordAsync(null, reader, $"GET {http.Request.Path}{http.Request.QueryString}", AccessLog.ReasonOf(http.Request), cancellation);
        }
        return TypedResults.Ok<IReadOnlyList<CaseSummary>>(page);
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Get(Guid id, CaseCommandService cases, HttpContext http, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null)
        {
            return ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
        }
        http.Response.Headers.ETag = $"\"{state.Version}\"";
        return TypedResults.Ok(CaseBody.From(state));
    }
}
