using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Media;

/// <summary>Recording chunks in, sealed recordings out (with HTTP range requests for seeking).</summary>
public static class MediaApi
{
    public const int MaxChunkBytes = 16 * 1024 * 1024;

    public sealed record ChunkReceipt(Guid RecordingId, int Index, string Status, int NextIndex);

    public static void MapMediaApi(this WebApplication app)
    {
        var recordings = app.MapGroup("/api/recordings").WithTags("Media").RequireAuthorization();
        recordings.MapPut("/{recordingId:guid}/chunks/{index:int}", PutChunk).WithName("PutRecordingChunk")
            .WithSummary("Upload chunk N of a recording (Content-Digest: sha-256=:<base64>:); the same chunk again is a no-op.");
        recordings.MapGet("/{recordingId:guid}", Play).WithName("PlayRecording").RequireCaseRead(CaseReadScope.Oversight)
            .WithSummary("A sealed recording, with range requests; regulators state a reason (X-Access-Reason).");
    }

    private static async Task<Results<Ok<ChunkReceipt>, ProblemHttpResult>> PutChunk(Guid recordingId, int index, HttpContext http, CaseLookup lookup,
        CaseCommandService cases, IMediaAdapter media, DefinitionCatalog definitions, TimeProvider clock, CancellationToken cancellation)
    {
        if (await lookup.CaseOfRecordingAsync(recordingId, cancellation) is not { } caseId)
        {
            return ApiProblems.NotFound("No such recording", $"No case has started recording {recordingId}.");
        }
        if (await cases.CurrentAsync(caseId, null, cancellation) is not { } state)
        {
            return ApiProblems.NotFound("No such case", $"Recording {recordingId} belongs to case {caseId}, which does not exist.");
        }
        if (CaseAccess.Refusal(http.User, state) is { } refused)
        {
            return refused;
        }
        if (ContentDigest.Sha256Hex(http.Request.Headers["Content-Digest"].FirstOrDefault()) is not { } sha)
        {
            return ApiProblems.Invalid("Each chunk needs its SHA-256 in the Content-Digest header, as sha-256=:<base64>:.", [new("Content-Digest", "Missing or malformed.")]);
        }
        if (index < 0)
        {
            return ApiProblems.Invalid("Chunks count from 0.", [new("index", "Must be 0 or more.")]);
        }
        var body = await ContentDigest.ReadBodyAsync(http.Request, MaxChunkBytes, cancellation);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Chunk too large", $"A chunk may be at most {MaxChunkBytes:N0} bytes.", []);
        }
        if (index == 0 && FileSignature.Detect(body) != "video/webm")
        {
            return ApiProblems.Invalid("A recording begins with a WebM header, and this first chunk does not.", [new("body", "Not the start of a WebM file.")]);
        }
        var definition = definitions.Find(state.DefinitionId, state.DefinitionVersion);
        if (state.Fact(MediaFacts.RecordingStartedAt) is { } at && at.TryGetDateTimeOffset(out var started)
            && RecordingLimits.Overrun(definition, started, clock.GetUtcNow()) is { } overrun)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Recording too long", overrun, []);
        }
        await media.StartRecordingAsync(recordingId, caseId, http.Request.ContentType ?? "video/webm", cancellation);
        var maxBytes = RecordingLimits.MaxBytesOf(definition);
        var result = await media.AppendChunkAsync(recordingId, index, body, sha, maxBytes, cancellation);
        return result.Status switch
        {
            ChunkStatus.Accepted or ChunkStatus.AlreadyHad => TypedResults.Ok(new ChunkReceipt(recordingId, index, result.Status == ChunkStatus.Accepted ? "stored" : "already stored", result.NextIndex)),
            ChunkStatus.HashMismatch => ApiProblems.Invalid(result.Reason!, [new("Content-Digest", "Does not match the body.")]),
            ChunkStatus.TooLarge => ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Recording too large", result.Reason!, []),
            _ => ApiProblems.Conflict(result.Status == ChunkStatus.Gap ? "Chunk out of order" : "Recording closed", result.Reason!),
        };
    }

    private static async Task<IResult> Play(Guid recordingId, HttpContext http, CaseLookup lookup, IMediaAdapter media, CancellationToken cancellation)
    {
        if (await lookup.CaseOfRecordingAsync(recordingId, cancellation) is not { } caseId || await lookup.SealedRecordingAsync(recordingId, cancellation) is not { } sha)
        {
            return ApiProblems.NotFound("No such sealed recording", $"Recording {recordingId} does not exist or is not sealed yet.");
        }
        if (http.User.IsInRole(Roles.Regulator) && AccessLog.ReasonOf(http.Request) is null)
        {
            return ApiProblems.Invalid("Say why you play this recording; the reason is logged with the access.", [new(AccessLog.ReasonHeader, "Required for regulators.")]);
        }
        var stream = media.OpenSealed(sha);
        return stream is null
            ? ApiProblems.NotFound("Recording file missing", $"The sealed file {sha} is not in the evidence store; run verify.")
            : SafeDownload.File(http, stream, "video/webm", "recording", sha);
    }
}
