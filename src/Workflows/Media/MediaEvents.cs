using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Media;

/// <summary>Facts the media steps leave in the case state.</summary>
public static class MediaFacts
{
    public const string VideoSession = "videoSession";
    public const string Recording = "recording";
    public const string RecordingStartedAt = "recordingStartedAt";

    /// <summary>The recording running now, if any.</summary>
    public static Guid? ActiveRecording(CaseState state) =>
        state.Fact(Recording) is { ValueKind: JsonValueKind.String } id && Guid.TryParse(id.GetString(), out var recording) ? recording : null;

    internal static CaseState Set(CaseState state, string fact, Guid? value) =>
        value is { } id ? state.WithFact(fact, JsonSerializer.SerializeToElement(id.ToString())) : state with { Facts = state.Facts.Remove(fact) };
}

/// <summary>A person in the video session.</summary>
public sealed record Participant(string Role, string Name);

/// <summary>The video room for the case was opened; the customer can be sent a link.</summary>
public sealed record VideoSessionOpened(Guid SessionId, string StepId, string DropPolicy, DateTimeOffset OpenedAt) : IDomainEvent
{
    public CaseState Apply(CaseState state) => MediaFacts.Set(state, MediaFacts.VideoSession, SessionId);
}

/// <summary>Teller and customer (and anyone assisting) are in the video session.</summary>
public sealed record VideoSessionStarted(Guid SessionId, IReadOnlyList<Participant> Participants, DateTimeOffset StartedAt) : ICaseEvent;

/// <summary>The video session ended.</summary>
public sealed record VideoSessionEnded(Guid SessionId, DateTimeOffset EndedAt) : IDomainEvent
{
    public CaseState Apply(CaseState state) => MediaFacts.Set(state, MediaFacts.VideoSession, null);
}

/// <summary>Recording began; the customer is asked to consent before anything else.</summary>
public sealed record RecordingStarted(Guid RecordingId, Guid? SessionId, DateTimeOffset StartedAt) : IDomainEvent
{
    public CaseState Apply(CaseState state) =>
        MediaFacts.Set(state, MediaFacts.Recording, RecordingId).WithFact(MediaFacts.RecordingStartedAt, JsonSerializer.SerializeToElement(StartedAt));
}

/// <summary>The customer agreed, on camera, to being recorded.</summary>
public sealed record RecordingConsentGiven(Guid RecordingId, string ConsentText, DateTimeOffset GivenAt) : ICaseEvent;

/// <summary>The customer refused to be recorded; the case ends declined.</summary>
public sealed record RecordingConsentRefused(Guid RecordingId, DateTimeOffset RefusedAt) : IDomainEvent
{
    public CaseState Apply(CaseState state) => MediaFacts.Set(state, MediaFacts.Recording, null);
}

/// <summary>The recording should be stopped and sealed; the media adapter answers with the seal.</summary>
public sealed record RecordingStopRequested(Guid CaseId, string BookmarkId, Guid RecordingId, DateTimeOffset RequestedAt) : ICaseIntent;

/// <summary>
/// The recording is sealed: one evidence file per segment (in order), its duration, and chunks that never arrived. Seals
/// written before segments existed have one file and no <see cref="Segments"/>.
/// </summary>
public sealed record RecordingSealed(
    Guid RecordingId,
    IReadOnlyList<EvidenceFile> Evidence,
    long DurationMs,
    int Chunks,
    IReadOnlyList<int> MissingChunks,
    DateTimeOffset SealedAt) : IDomainEvent
{
    /// <summary>Each segment's time on record and the gap before it, when the recording broke off and resumed.</summary>
    public IReadOnlyList<RecordingSegment>? Segments { get; init; }

    public CaseState Apply(CaseState state) => MediaFacts.Set(state, MediaFacts.Recording, null);
}

/// <summary>A stretch of the recording without a break: from its first chunk's arrival to its last, and the silence before it.</summary>
public sealed record RecordingSegment(int Segment, string Sha256, long Size, int Chunks, DateTimeOffset StartedAt, DateTimeOffset EndedAt, long GapBeforeMs);
