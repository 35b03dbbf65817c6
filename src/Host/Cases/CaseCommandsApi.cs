using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Problems;
using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Host.Cases;

/// <summary>Commands on cases: open, resume a bookmark, signal, cancel, retry a failed step; each may carry an <c>Idempotency-Key</c>.</summary>
public static class CaseCommandsApi
{
    public sealed record OpenCaseRequest(string? DefinitionId, int? Version, JsonElement? Data);

    /// <param name="Confirmation">A customer's one-time code confirming their answer (step-up); staff send none.</param>
    public sealed record ResumeRequest(JsonElement? Input, string? Confirmation = null);

    public sealed record CancelRequest(string? Reason);

    /// <summary>Every command takes an <c>Idempotency-Key</c>, so a client can retry it safely.</summary>
    private static readonly IdempotencyFilter Retryable = new(StatusCodes.Status200OK);

    public static void MapCaseCommands(this RouteGroupBuilder cases)
    {
        cases.MapPost("/", Open).Idempotent(new IdempotencyFilter(StatusCodes.Status201Created)).RequireAuthorization(Policies.Worker).WithName("OpenCase").WithSummary("Open a case on a definition (latest version unless one is named).");
        cases.AddEndpointFilter(VirtualBranch.Host.Media.CaseAccess.CustomerScope);
        cases.MapPost("/{id:guid}/bookmarks/{bookmarkId}", Resume).Idempotent(Retryable).RequireAuthorization(p => p.RequireRole(Roles.Teller, Roles.Supervisor, Roles.Customer)).WithName("ResumeBookmark")
            .WithMetadata(new TakesIfMatch()).WithSummary("Resume a waiting step with input; If-Match: \"<version>\" makes it conditional.");
        cases.MapPost("/{id:guid}/signals/{name}", Signal).Idempotent(Retryable).RequireAuthorization(Policies.Signaller).WithName("SignalCase")
            .WithSummary("Deliver a named signal from another system with a payload.");
        cases.MapPost("/{id:guid}/cancel", Cancel).Idempotent(Retryable).RequireAuthorization(Policies.Worker).WithName("CancelCase").WithSummary("Cancel a case, with a reason.");
        cases.MapPost("/{id:guid}/steps/{stepId}/retry", Retry).Idempotent(Retryable).RequireAuthorization(Policies.Supervisor).WithName("RetryStep")
            .WithSummary("Run a failed step again (supervisor).");
    }

    private static async Task<Results<Created<CaseBody>, ProblemHttpResult>> Open(OpenCaseRequest? request, DefinitionCatalog catalog, CaseNumbers numbers,
        CaseCommandService cases, LocalAccounts accounts, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request?.DefinitionId))
        {
            return ApiProblems.Invalid("Name the definition to open a case on.", [new("/definitionId", "Required.")]);
        }
        if (request.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            return ApiProblems.Invalid("The case data must be a JSON object.", [new("/data", "Required: an object matching the definition's inputs.")]);
        }
        var definition = request.Version is { } v ? catalog.Find(request.DefinitionId, v) : catalog.Latest(request.DefinitionId);
        if (definition is null)
        {
            return ApiProblems.Invalid($"There is no definition '{request.DefinitionId}'{(request.Version is { } n ? $" version {n}" : "")}.",
                [new(request.Version is null ? "/definitionId" : "/version", "Unknown definition or version.")]);
        }
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var number = await numbers.NextAsync(definition, now, cancellation);
        var outcome = await cases.ExecuteAsync(id, new OpenCase(id, number, data, RequestActor.Of(http.User), now, Workbench.AssignmentApi.RoundRobin(number, definition, accounts)),
            RequestActor.Context(http), cancellation, definition);
        if (outcome.Rejection is { } rejected)
        {
            return ApiProblems.From(rejected);
        }
        return TypedResults.Created($"/api/cases/{id}", WithETag(http, outcome.State!));
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Resume(Guid id, string bookmarkId, ResumeRequest? request,
        CaseCommandService cases, Customers.CodeChallenges challenges, Customers.CustomerLinkCodes links, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (!RequestActor.TryIfMatch(http, out var expected))
        {
            return ApiProblems.Invalid("If-Match must be a case version in quotes, e.g. \"7\".", [new("If-Match", "Not a version.")]);
        }
        var input = request?.Input ?? JsonSerializer.SerializeToElement(new { });
        var (confirmation, unconfirmed) = await Customers.CustomerConfirmations.CheckAsync(http.User, bookmarkId, request?.Confirmation, challenges, links, cancellation);
        if (unconfirmed is not null)
        {
            return unconfirmed;
        }
        var command = new ResumeBookmark(bookmarkId, input, RequestActor.Of(http.User), clock.GetUtcNow()) { ExpectedVersion = expected, Confirmation = confirmation };
        return Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Signal(Guid id, string name, JsonElement? payload,
        CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var command = new SendSignal(name, payload ?? JsonSerializer.SerializeToElement(new { }), RequestActor.Of(http.User), clock.GetUtcNow());
        return Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Cancel(Guid id, CancelRequest? request,
        CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var command = new CancelCase(request?.Reason ?? "", RequestActor.Of(http.User), clock.GetUtcNow());
        return Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    private static async Task<Results<Ok<CaseBody>, ProblemHttpResult>> Retry(Guid id, string stepId,
        CaseCommandService cases, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var command = new RetryStep(stepId, RequestActor.Of(http.User), clock.GetUtcNow());
        return Reply(await cases.ExecuteAsync(id, command, RequestActor.Context(http), cancellation), http);
    }

    /// <summary>The answer to any case command: the case with its ETag, or the refusal as problem details.</summary>
    internal static Results<Ok<CaseBody>, ProblemHttpResult> Reply(CommandOutcome outcome, HttpContext http) =>
        outcome.Rejection is { } rejected ? ApiProblems.From(rejected) : TypedResults.Ok(WithETag(http, outcome.State!));

    private static CaseBody WithETag(HttpContext http, CaseState state)
    {
        http.Response.Headers.ETag = $"\"{state.Version}\"";
        return CaseBody.From(state);
    }
}

/// <summary>Endpoint metadata: the command may be made conditional on the case's version with <c>If-Match: "&lt;version&gt;"</c>.</summary>
public sealed record TakesIfMatch;
