using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Documents;
using VirtualBranch.Workflows.ESign;
using VirtualBranch.Workflows.Media;
using VirtualBranch.Workflows.Willingness;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// What the teller's workbench shows of a case: the case, the documents collected, the signed contract, what the
/// waiting steps put in front of the teller (the contract presented, the willingness script) and the recording
/// running now. The page reads this instead of the case's raw events.
/// </summary>
public static class TellerView
{
    public sealed record Document(Guid DocumentId, string Kind, string FileName, string Sha256, string? MediaType, long Size, string Url);

    public sealed record SignedContract(string StepId, string Sha256, string Url);

    public sealed record PresentedContract(string StepId, string Title, string Text, bool ConsentGiven);

    /// <summary>A willingness question, with the answer that shows the customer's will, so the teller can judge the answer given.</summary>
    public sealed record Question(string Id, string Text, string Expected);

    public sealed record Script(string StepId, IReadOnlyList<Question> Questions);

    /// <summary>The recording started last, and when; <c>Stopping</c> once it is being sealed or consent was refused.</summary>
    public sealed record Recording(Guid RecordingId, bool Stopping, DateTimeOffset StartedAt);

    public sealed record View(CaseBody Case, IReadOnlyList<Document> Documents, IReadOnlyList<SignedContract> SignedContracts,
        IReadOnlyList<PresentedContract> Contracts, IReadOnlyList<Script> Scripts, Recording? Recording);

    public static void MapTellerView(this WebApplication app) =>
        app.MapGet("/api/cases/{id:guid}/workbench", Get).WithTags("Workbench").RequireAuthorization()
            .RequireCaseRead(CaseReadScope.Workbench, CaseReadFilter.WorkingTheCase).WithName("TellerView")
            .WithSummary("The teller's view of a case; ETag is its version, and If-None-Match with it answers 304 without reading the case.");

    private static async Task<Results<Ok<View>, StatusCodeHttpResult, ProblemHttpResult>> Get(Guid id, HttpContext http, CaseCommandService cases,
        IDocumentStore store, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null)
        {
            return ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
        }
        var etag = $"\"{state.Version}\"";
        http.Response.Headers.ETag = etag;
        // The page polls: an unchanged case is answered without reading (or logging) its data again.
        if (http.Request.Headers.IfNoneMatch.Any(v => v?.Split(',').Any(t => t.Trim() == etag) == true))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, state.Version, token: cancellation);
        return TypedResults.Ok(Build(state, [.. events.Select(e => e.Data)]));
    }

    /// <summary>The view of <paramref name="state"/> from the events that made it.</summary>
    public static View Build(CaseState state, IReadOnlyList<object> events)
    {
        var waiting = state.Bookmarks.Values.Select(b => b.StepId).ToHashSet(StringComparer.Ordinal);
        var documents = events.OfType<DocumentCollected>().Select(d => new Document(d.DocumentId, d.Kind, d.FileName, d.Evidence[0].Sha256,
            d.Evidence[0].MediaType, d.Evidence[0].Size, $"/api/documents/{d.DocumentId}"));
        var signed = events.OfType<ContractSigned>().Select(c => (c.StepId, Pdf: c.Evidence.FirstOrDefault(f => f.MediaType == "application/pdf") ?? c.Evidence[0]))
            .Select(c => new SignedContract(c.StepId, c.Pdf.Sha256, $"/api/cases/{state.Id}/evidence/{c.Pdf.Sha256}"));
        var consented = events.OfType<ContractConsentGiven>().Select(c => c.StepId).ToHashSet(StringComparer.Ordinal);
        var contracts = events.OfType<ContractPresented>().Where(c => waiting.Contains(c.StepId)).GroupBy(c => c.StepId)
            .Select(g => g.Last()).Select(c => new PresentedContract(c.StepId, c.Title, c.Text, consented.Contains(c.StepId)));
        var scripts = events.OfType<WillingnessScriptPresented>().Where(s => waiting.Contains(s.StepId)).GroupBy(s => s.StepId)
            .Select(g => g.Last()).Select(s => new Script(s.StepId, [.. s.Questions.Select(q => new Question(q.Id, q.Text, q.Expected))]));
        var started = events.OfType<RecordingStarted>().LastOrDefault();
        var recording = started is null ? null : new Recording(started.RecordingId,
            events.Any(e => e is RecordingStopRequested stop && stop.RecordingId == started.RecordingId
                || e is RecordingConsentRefused refused && refused.RecordingId == started.RecordingId), started.StartedAt);
        return new View(CaseBody.From(state), [.. documents], [.. signed], [.. contracts], [.. scripts], recording);
    }
}
