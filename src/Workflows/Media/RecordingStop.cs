using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Workflows.Media;

/// <summary>Stops the recording and waits for the media adapter to seal it (content hash, size, duration).</summary>
public sealed class RecordingStop : IActivity
{
    public const string TypeName = "stop-recording";

    public static readonly System.Text.Json.JsonElement SealForm = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["sha256", "size", "mediaType", "chunks", "missingChunks"], "properties": {
          "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "size": { "type": "integer", "minimum": 0 },
          "mediaType": { "type": "string" }, "chunks": { "type": "integer", "minimum": 0 },
          "missingChunks": { "type": "array", "maxItems": 100000, "items": { "type": "integer" } } } }
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
        var seal = input.Input;
        var evidence = new EvidenceFile("recording", seal.GetProperty("sha256").GetString()!, seal.GetProperty("size").GetInt64(), seal.GetProperty("mediaType").GetString());
        var missing = seal.GetProperty("missingChunks").EnumerateArray().Select(c => c.GetInt32()).ToList();
        return ActivityResult.Complete(Outcomes.Done, seal.Clone(), new RecordingSealed(recording, [evidence],
            DurationMs(context), seal.GetProperty("chunks").GetInt32(), missing, context.Now));
    }

    private static long DurationMs(ActivityContext context) =>
        context.State.Fact(MediaFacts.RecordingStartedAt) is { } at && at.TryGetDateTimeOffset(out var started)
            ? (long)(context.Now - started).TotalMilliseconds
            : 0;
}
