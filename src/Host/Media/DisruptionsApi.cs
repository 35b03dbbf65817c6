using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Media;

/// <summary>
/// <c>POST /api/cases/{id}/disruptions</c>: the teller's page reports that the call failed. The case's video step decides
/// (continue, restart at the identity check, or abort by the declined path); the video room reports a customer who left.
/// </summary>
public static class DisruptionsApi
{
    public sealed record DisruptionRequest(string? Kind, string? Detail);

    public static void MapDisruptionsApi(this WebApplication app) =>
        app.MapPost("/api/cases/{id:guid}/disruptions", Report).WithTags("Media").RequireAuthorization(Policies.Worker)
            .Idempotent(new IdempotencyFilter(StatusCodes.Status200OK))
            .WithName("ReportDisruption").WithSummary("Report that the case's video session was disrupted (connection-failed, customer-left, recording-gap).");

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Report(Guid id, DisruptionRequest? request, CaseCommandService cases, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request?.Kind))
        {
            return ApiProblems.Invalid("Say what kind of disruption happened.", [new("/kind", $"Required: one of {string.Join(", ", Disruptions.Kinds)}.")]);
        }
        if (request.Detail is { Length: > 1000 })
        {
            return ApiProblems.Invalid("The detail is at most 1,000 characters.", [new("/detail", "Too long.")]);
        }
        var outcome = await cases.ExecuteAsync(id, new ReportDisruption(request.Kind, request.Detail?.Trim() ?? "", RequestActor.Of(http.User), clock.GetUtcNow()),
            RequestActor.Context(http), cancellation);
        return outcome.Rejection is { } refused ? ApiProblems.From(refused) : TypedResults.Ok(CaseBody.From(outcome.State!));
    }
}
