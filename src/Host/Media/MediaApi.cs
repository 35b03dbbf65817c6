using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Media;

/// <summary>
/// Recording segments and their chunks in, sealed recordings out (with HTTP range requests for seeking). Each recorder
/// (a page load) opens a segment of its own, so a reload continues the recording as the next segment instead of
/// colliding with the chunks already kept.
/// </summary>
public static class MediaApi
{
    public const int MaxChunkBytes = 16 * 1024 * 1024;

    public sealed record ChunkReceipt(Guid RecordingId, int Segment, int Index, string Status, int NextIndex);

    public sealed record SegmentOpened(Guid RecordingId, int Segment);

    public static void MapMediaApi(this WebApplication app)
    {
        var recordings = app.MapGroup("/api/recordings").WithTags("Media").RequireAuthorization();
        recordings.MapPost("/{recordingId:guid}/segments", OpenSegment).WithName("OpenRecordingSegment")
            .WithSummary("Start the next segment of a recording (a new recorder after a reload); chunks then go to that segment.");
        recordings.MapPut("/{recordingId:guid}/segments/{segment:int}/chunks/{index:int}", PutSegmentChunk).WithName("PutRecordingSegmentChunk").ProducesProblem(StatusCodes.Status413PayloadTooLarge).RequireRateLimiting(Limits.RateLimits.Uploads)
            .WithSummary("Upload chunk N of a segment (Content-Digest: sha-256=:<base64>:); the same chunk again is a no-op.");
        recordings.MapPost("/{recordingId:guid}/segments/{segment:int}/end", EndSegment).WithName("EndRecordingSegment")
            .WithSummary("The recorder of a segment stopped after sending this many chunks ({ chunks }); the seal checks that all arrived.");
        recordings.MapPut("/{recordingId:guid}/chunks/{index:int}", PutChunk).WithName("PutRecordingChunk").ProducesProblem(StatusCodes.Status413PayloadTooLarge).RequireRateLimiting(Limits.RateLimits.Uploads)
            .WithSummary("Upload chunk N of the recording's first segment (Content-Digest: sha-256=:<base64>:).");
        recordings.MapGet("/{recordingId:guid}", Play).WithName("PlayRecording").RequireCaseRead(CaseReadScope.Oversight)
            .WithSummary("A sealed recording's segment (?segment=N, default 0), with range requests; regulators state a reason (X-Access-Reason).");
    }

    /// <summary>Who reports a recording that broke off for longer than the scenario allows.</summary>
    public static readonly Actor Recorder = new("media-adapter", Roles.System);

    private static async Task<Results<Ok<SegmentOpened>, ProblemHttpResult>> OpenSegment(Guid recordingId, HttpContext http, CaseLookup lookup,
        CaseCommandService cases, IMediaAdapter media, DefinitionCatalog definitions, TimeProvider clock, CancellationToken cancellation)
    {
        var (caseId, state, refused) = await RecordingOfAsync(recordingId, http, lookup, cases, cancellation);
        if (refused is not null)
        {
            return refused;
        }
        await media.StartRecordingAsync(recordingId, caseId, "video/webm", cancellation);
        var opened = await media.OpenSegmentAsync(recordingId, cancellation);
        if (opened.Status != ChunkStatus.Accepted)
        {
            return ApiProblems.Conflict("Recording closed", opened.Reason!);
        }
        var now = clock.GetUtcNow();
        var allowed = RecordingLimits.MaxGapOf(definitions.Find(state!.DefinitionId, state.DefinitionVersion));
        if (opened.PreviousEndedAt is { } ended && now - ended > allowed)
        {
            // The case's video step decides what the break means (continue, restart, abort).
            await cases.ExecuteAsync(caseId, new ReportDisruption("recording-gap",
                $"The recording broke off for {(now - ended).TotalSeconds:0} s before segment {opened.Segment + 1}; the scenario allows {allowed.TotalSeconds:0} s.",
                Recorder, now), RequestActor.Context(http), cancellation);
        }
        return TypedResults.Ok(new SegmentOpened(recordingId, opened.Segment));
    }

    public sealed record SegmentEnd(int? Chunks);

    private static async Task<Results<Ok<ChunkReceipt>, ProblemHttpResult>> EndSegment(Guid recordingId, int segment, SegmentEnd? request, HttpContext http,
        CaseLookup lookup, CaseCommandService cases, IMediaAdapter media, CancellationToken cancellation)
    {
        if (request?.Chunks is not ({ } chunks and >= 0))
        {
            return ApiProblems.Invalid("Say how many chunks the segment's recorder sent.", [new("/chunks", "Required: 0 or more.")]);
        }
        var (_, _, refused) = await RecordingOfAsync(recordingId, http, lookup, cases, cancellation);
        if (refused is not null)
        {
            return refused;
        }
        var ended = await media.EndSegmentAsync(recordingId, segment, chunks, cancellation);
        return ended.Status == ChunkStatus.Accepted
            ? TypedResults.Ok(new ChunkReceipt(recordingId, segment, chunks, "ended", ended.NextIndex))
            : ApiProblems.Conflict(ended.Status == ChunkStatus.Gap ? "No such segment" : "Recording closed", ended.Reason!);
    }

    private static Task<Results<Ok<ChunkReceipt>, ProblemHttpResult>> PutChunk(Guid recordingId, int index, HttpContext http, CaseLookup lookup,
        CaseCommandService cases, IMediaAdapter media, DefinitionCatalog definitions, TimeProvider clock, CancellationToken cancellation) =>
        PutSegmentChunk(recordingId, 0, index, http, lookup, cases, media, definitions, clock, cancellation);

    private static async Task<Results<Ok<ChunkReceipt>, ProblemHttpResult>> PutSegmentChunk(Guid recordingId, int segment, int index, HttpContext http,
        CaseLookup lookup, CaseCommandService cases, IMediaAdapter media, DefinitionCatalog definitions, TimeProvider clock, CancellationToken cancellation)
    {
        var (caseId, state, refused) = await RecordingOfAsync(recordingId, http, lookup, cases, cancellation);
        if (refused is not null)
        {
            return refused;
        }
        if (ContentDigest.Sha256Hex(http.Request.Headers["Content-Digest"].FirstOrDefault()) is not { } sha)
        {
            return ApiProblems.Invalid("Each chunk needs its SHA-256 in the Content-Digest header, as sha-256=:<base64>:.", [new("Content-Digest", "Missing or malformed.")]);
        }
        if (index < 0 || segment < 0)
        {
            return ApiProblems.Invalid("Segments and chunks count from 0.", [new(index < 0 ? "index" : "segment", "Must be 0 or more.")]);
        }
        var body = await ContentDigest.ReadBodyAsync(http.Request, MaxChunkBytes, cancellation);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Chunk too large", $"A chunk may be at most {MaxChunkBytes:N0} bytes.", []);
        }
        if (index == 0 && !StartsLikeWebm(body))
        {
            return ApiProblems.Invalid("A recording segment begins with a WebM header, and this first chunk does not.", [new("body", "Not the start of a WebM file.")]);
        }
        var definition = definitions.Find(state!.DefinitionId, state.DefinitionVersion);
        if (state.Fact(MediaFacts.RecordingStartedAt) is { } at && at.TryGetDateTimeOffset(out var started)
            && RecordingLimits.Overrun(definition, started, clock.GetUtcNow()) is { } overrun)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Recording too long", overrun, []);
        }
        await media.StartRecordingAsync(recordingId, caseId, http.Request.ContentType ?? "video/webm", cancellation);
        var result = await media.AppendChunkAsync(recordingId, segment, index, body, sha, RecordingLimits.MaxBytesOf(definition), cancellation);
        if (result.Status == ChunkStatus.Accepted)
        {
            http.RequestServices.GetRequiredService<Telemetry.CaseTelemetry>().RecordingReceived(body.Length);
        }
        return result.Status switch
        {
            ChunkStatus.Accepted or ChunkStatus.AlreadyHad =>
                TypedResults.Ok(new ChunkReceipt(recordingId, segment, index, result.Status == ChunkStatus.Accepted ? "stored" : "already stored", result.NextIndex)),
            ChunkStatus.HashMismatch => ApiProblems.Invalid(result.Reason!, [new("Content-Digest", "Does not match the body.")]),
            ChunkStatus.TooLarge => ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Recording too large", result.Reason!, []),
            _ => ApiProblems.Conflict(result.Status == ChunkStatus.Gap ? "Chunk out of order" : "Recording closed", result.Reason!),
        };
    }

    /// <summary>
    /// A segment's first chunk starts with the WebM header, or is the beginning of it: Chromium's MediaRecorder can hand over
    /// the very first byte alone.
    /// </summary>
    private static bool StartsLikeWebm(byte[] first) =>
        FileSignature.Detect(first) == "video/webm" || (first.Length < WebmMagic.Length && WebmMagic.AsSpan().StartsWith(first));

    private static readonly byte[] WebmMagic = [0x1A, 0x45, 0xDF, 0xA3];

    /// <summary>The case a recording belongs to, if the caller may write to it.</summary>
    private static async Task<(Guid CaseId, CaseState? State, ProblemHttpResult? Refused)> RecordingOfAsync(Guid recordingId, HttpContext http, CaseLookup lookup,
        CaseCommandService cases, CancellationToken cancellation)
    {
        if (await lookup.CaseOfRecordingAsync(recordingId, cancellation) is not { } caseId)
        {
            return (default, null, ApiProblems.NotFound("No such recording", $"No case has started recording {recordingId}."));
        }
        if (await cases.CurrentAsync(caseId, null, cancellation) is not { } state)
        {
            return (caseId, null, ApiProblems.NotFound("No such case", $"Recording {recordingId} belongs to case {caseId}, which does not exist."));
        }
        return (caseId, state, CaseAccess.Refusal(http.User, state));
    }

    private static async Task<IResult> Play(Guid recordingId, int? segment, HttpContext http, CaseLookup lookup, IMediaAdapter media, CancellationToken cancellation)
    {
        if (await lookup.CaseOfRecordingAsync(recordingId, cancellation) is not { } caseId || await lookup.SealedRecordingAsync(recordingId, segment ?? 0, cancellation) is not { } sha)
        {
            return ApiProblems.NotFound("No such sealed recording", $"Recording {recordingId} does not exist, is not sealed yet, or has no segment {segment ?? 0}.");
        }
        if (http.User.IsInRole(Roles.Regulator) && AccessLog.ReasonOf(http.Request) is null)
        {
            return ApiProblems.Invalid("Say why you play this recording; the reason is logged with the access.", [new(AccessLog.ReasonHeader, "Required for regulators.")]);
        }
        var stream = await media.OpenSealedAsync(caseId, sha, cancellation);
        return stream is null
            ? ApiProblems.NotFound("Recording file missing", $"The sealed file {sha} is not in the evidence store; run verify.")
            : SafeDownload.File(http, stream, "video/webm", "recording", sha);
    }
}
