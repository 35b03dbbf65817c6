using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Evidence;

/// <summary>The stream as evidence: events, state at any point, timeline, verification, export, access log.</summary>
public static class EvidenceApi
{
    public sealed record StateAt(long Version, CaseBody Case);

    public static void MapEvidenceApi(this WebApplication app)
    {
        // Regulators and supervisors only (CaseReadRule); every successful read is in the case's access log.
        var cases = app.MapGroup("/api/cases/{id:guid}").WithTags("Evidence").RequireAuthorization().RequireCaseRead(CaseReadScope.Oversight);
        cases.MapGet("/events", Events).WithName("CaseEvents").WithSummary("Every event in order with actor, times, correlation, data and hash chain.");
        cases.MapGet("/state", State).WithName("CaseStateAt").WithSummary("The case as it was at ?version=N or ?at=<timestamp>, rebuilt by the engine's Evolve.");
        cases.MapGet("/timeline", Timeline).WithName("CaseTimeline").WithSummary("The case's steps for people: who, when, outcome.");
        cases.MapGet("/verify", Verify).WithName("VerifyCase").WithSummary("Recompute the hash chain from the stored rows and check every evidence file.");
        cases.MapGet("/export", Export).WithName("ExportCase").WithSummary("A signed zip of the case's events, definition and evidence files.");
        cases.MapGet("/access-log", Accesses).WithName("CaseAccessLog").WithSummary("Who read this case's evidence, when and why.");
    }

    private static async Task<Results<Ok<IReadOnlyList<EventRecord>>, ProblemHttpResult>> Events(Guid id, StoredEvents events, Privacy.PersonalDataKeys personalData,
        CancellationToken cancellation)
    {
        var (rows, _) = await events.ReadAsync(id, cancellation);
        return rows.Count == 0 ? NoCase(id) : TypedResults.Ok<IReadOnlyList<EventRecord>>([.. rows.Select(r => EventRecord.From(r, personalData.Reveal))]);
    }

    private static async Task<Results<Ok<StateAt>, ProblemHttpResult>> State(Guid id, long? version, DateTimeOffset? at, IDocumentStore store,
        CancellationToken cancellation)
    {
        if (version is < 1)
        {
            return ApiProblems.Invalid("A version counts from 1.", [new("?version", "Must be 1 or more.")]);
        }
        await using var session = store.QuerySession();
        var state = await CaseStreams.LoadAsync(session, id, version, at, cancellation);
        if (state is null)
        {
            return at is null ? NoCase(id) : ApiProblems.NotFound("Nothing at that time", $"Case {id} did not exist at {at:O}.");
        }
        if (version is { } wanted && state.Version < wanted)
        {
            return ApiProblems.NotFound("No such version", $"Case {id} has {state.Version} events; there is no version {wanted}.");
        }
        return TypedResults.Ok(new StateAt(state.Version, CaseBody.From(state)));
    }

    private static async Task<Results<Ok<CaseTimeline>, ProblemHttpResult>> Timeline(Guid id, IDocumentStore store, DefinitionCatalog catalog,
        CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: cancellation);
        return events.Count == 0 || events[0].Data is not CaseOpened ? NoCase(id) : TypedResults.Ok(CaseTimeline.Build(events, catalog));
    }

    private static async Task<Results<Ok<VerificationResult>, ProblemHttpResult>> Verify(Guid id, CaseVerifier verifier, CancellationToken cancellation) =>
        await verifier.VerifyAsync(id, cancellation) is { } result ? TypedResults.Ok(result) : NoCase(id);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(Guid id, ExportBundle bundle, HttpContext http,
        CancellationToken cancellation)
    {
        if (AccessLog.ReasonOf(http.Request) is null)
        {
            return ApiProblems.Invalid($"Say why you export this case, in the {AccessLog.ReasonHeader} header (or ?reason=); the reason is logged with the export.",
                [new(AccessLog.ReasonHeader, "Required to export.")]);
        }
        using var buffer = new MemoryStream();
        if (!await bundle.WriteAsync(id, RequestActor.Of(http.User).Id, buffer, cancellation))
        {
            return NoCase(id);
        }
        return TypedResults.File(buffer.ToArray(), "application/zip", $"case-{id}.zip");
    }

    private static async Task<Ok<IReadOnlyList<EvidenceAccessed>>> Accesses(Guid id, AccessLog log, CancellationToken cancellation) =>
        TypedResults.Ok(await log.ReadAsync(id, cancellation));

    private static ProblemHttpResult NoCase(Guid id) => ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
}
