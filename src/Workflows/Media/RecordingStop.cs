using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>
/// Stops the recording and waits for the media adapter to seal it: each segment's hash, size and times, the gaps between.
/// A recording that holds no media fails the step with a plain reason: a case must not go on as recorded when it was not.
/// </summary>
public sealed class RecordingStop : IActivity
{
    public const string TypeName = "stop-recording";

    public static readonly JsonElement SealForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["mediaType", "segments"], "properties": {
          "mediaType": { "type": "string", "maxLength": 100 },
          "segments": { "type": "array", "maxItems": 1000, "items": { "type": "object",
            "required": ["segment", "sha256", "size", "chunks", "firstChunkAt", "lastChunkAt"], "properties": {
              "segment": { "type": "integer", "minimum": 0 }, "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
              "size": { "type": "integer", "minimum": 1 }, "chunks": { "type": "integer", "minimum": 1 },
              "declaredChunks": { "type": ["integer", "null"], "minimum": 0 },
              "firstChunkAt": { "type": "string", "format": "date-time" }, "lastChunkAt": { "type": "string", "format": "date-time" } } } } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Media", "Stops the recording; the media adapter seals it and the seal is recorded.",
        [], [Outcomes.Done], Waits: true, DefaultRole: Roles.System);

    public ActivityResult Execute(ActivityContext context) =>
        MediaFacts.ActiveRecording(context.State) is { } recording
            ? ActivityResult.Wait(new BookmarkRequest(Roles.System, SealForm), new RecordingStopRequested(context.State.Id, context.BookmarkId(), recording, context.Now))
            : ActivityResult.Fail("No recording is running.");

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(SealForm, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var recording = MediaFacts.ActiveRecording(context.State)!.Value;
        var mediaType = input.Input.GetProperty("mediaType").GetString();
        var segments = new List<RecordingSegment>();
        foreach (var segment in input.Input.GetProperty("segments").EnumerateArray())
        {
            var started = segment.GetProperty("firstChunkAt").GetDateTimeOffset();
            var gap = segments.Count == 0 ? 0 : Math.Max(0, (long)(started - segments[^1].EndedAt).TotalMilliseconds);
            segments.Add(new RecordingSegment(segment.GetProperty("segment").GetInt32(), segment.GetProperty("sha256").GetString()!, segment.GetProperty("size").GetInt64(),
                segment.GetProperty("chunks").GetInt32(), started, segment.GetProperty("lastChunkAt").GetDateTimeOffset(), gap));
        }
        var incomplete = input.Input.GetProperty("segments").EnumerateArray()
            .Where(s => s.TryGetProperty("declaredChunks", out var declared) && declared.ValueKind == JsonValueKind.Number && declared.GetInt32() > s.GetProperty("chunks").GetInt32())
            .Select(s => $"segment {s.GetProperty("segment").GetInt32() + 1}: {s.GetProperty("declaredChunks").GetInt32()} chunks sent, {s.GetProperty("chunks").GetInt32()} arrived")
            .ToList();
        if (incomplete.Count > 0)
        {
            return ActivityResult.Fail($"The recording is incomplete ({string.Join("; ", incomplete)}): part of the session is not on record. " +
                "A supervisor decides whether the case can go on (retry once the chunks arrived) or must be cancelled.");
        }
        if (segments.Count == 0)
        {
            return ActivityResult.Fail("The recording holds no media: no chunk of it reached the bank, so this session is not on record. " +
                "Check the teller's camera and connection; a supervisor can retry once the recording holds the session, or cancel the case.");
        }
        var sealedRecording = new RecordingSealed(recording, [.. segments.Select(s => new EvidenceFile("recording", s.Sha256, s.Size, mediaType))],
            DurationMs(context), segments.Sum(s => s.Chunks), [], context.Now) { Segments = segments };
        return ActivityResult.Complete(Outcomes.Done, input.Input.Clone(), sealedRecording);
    }

    private static long DurationMs(ActivityContext context) =>
        context.State.Fact(MediaFacts.RecordingStartedAt) is { } at && at.TryGetDateTimeOffset(out var started)
            ? (long)(context.Now - started).TotalMilliseconds
            : 0;
}
