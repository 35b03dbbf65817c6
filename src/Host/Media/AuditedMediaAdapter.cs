using Marten;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Media;

/// <summary>A media adapter call, as the audit keeps it.</summary>
public sealed record MediaAdapterCalled(string Operation, Guid Subject, string Result, DateTimeOffset CalledAt) : ICaseEvent;

/// <summary>
/// Audits every call to whichever adapter is configured (a decorator, see MediaSetup). The audit goes to a stream of its own
/// per session or recording: the case stream only takes events the decider decided, so its hash chain stays whole.
/// </summary>
public sealed class AuditedMediaAdapter(IMediaAdapter inner, IDocumentStore store, TimeProvider clock) : IMediaAdapter
{
    public async Task<MediaSession> CreateSessionAsync(Guid caseId, Guid sessionId, DateTimeOffset expiresAt, CancellationToken cancellation) =>
        await Audit("create-session", sessionId, inner.CreateSessionAsync(caseId, sessionId, expiresAt, cancellation), _ => "created", cancellation);

    public async Task ReportParticipantAsync(Guid sessionId, string role, bool joined, CancellationToken cancellation) =>
        await Audit($"{role}-{(joined ? "joined" : "left")}", sessionId, Done(inner.ReportParticipantAsync(sessionId, role, joined, cancellation)), _ => "reported", cancellation);

    public async Task StartRecordingAsync(Guid recordingId, Guid caseId, string mediaType, CancellationToken cancellation) =>
        await Audit("start-recording", recordingId, Done(inner.StartRecordingAsync(recordingId, caseId, mediaType, cancellation)), _ => mediaType, cancellation);

    public async Task<SegmentResult> OpenSegmentAsync(Guid recordingId, CancellationToken cancellation) =>
        await Audit("open-segment", recordingId, inner.OpenSegmentAsync(recordingId, cancellation), r => r.Reason ?? $"segment {r.Segment}", cancellation);

    public async Task<ChunkResult> AppendChunkAsync(Guid recordingId, int segment, int index, ReadOnlyMemory<byte> content, string sha256, long maxBytes,
        CancellationToken cancellation) =>
        await Audit(segment == 0 ? $"chunk-{index}" : $"chunk-{segment}.{index}", recordingId,
            inner.AppendChunkAsync(recordingId, segment, index, content, sha256, maxBytes, cancellation), r => r.Status.ToString(), cancellation);

    public async Task<ChunkResult> EndSegmentAsync(Guid recordingId, int segment, int chunks, CancellationToken cancellation) =>
        await Audit($"end-segment-{segment}", recordingId, inner.EndSegmentAsync(recordingId, segment, chunks, cancellation), r => r.Reason ?? $"{chunks} chunks sent", cancellation);

    public Task<DateTimeOffset?> LastOpenChunkAtAsync(Guid recordingId, CancellationToken cancellation) => inner.LastOpenChunkAtAsync(recordingId, cancellation);

    public async Task<RecordingSeal> SealAsync(Guid recordingId, CancellationToken cancellation) =>
        await Audit("seal", recordingId, inner.SealAsync(recordingId, cancellation),
            s => s.Segments.Count == 0 ? "no media" : string.Join(' ', s.Segments.Select(g => g.Sha256)), cancellation);

    public Task<Stream?> OpenSealedAsync(Guid caseId, string sha256, CancellationToken cancellation) => inner.OpenSealedAsync(caseId, sha256, cancellation);

    public async Task EndSessionAsync(Guid sessionId, CancellationToken cancellation) =>
        await Audit("end-session", sessionId, Done(inner.EndSessionAsync(sessionId, cancellation)), _ => "ended", cancellation);

    /// <summary>The audit stream of a session or recording.</summary>
    public static Guid StreamFor(Guid subject) => DerivedStream.For("media-audit", subject);

    private async Task<T> Audit<T>(string operation, Guid subject, Task<T> call, Func<T, string> describe, CancellationToken cancellation)
    {
        string result;
        try
        {
            var value = await call;
            result = describe(value);
            await Append(operation, subject, result, cancellation);
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Append(operation, subject, $"failed: {ex.Message}", cancellation);
            throw;
        }
    }

    private Task Append(string operation, Guid subject, string result, CancellationToken cancellation) =>
        DerivedStream.AppendAsync(store, StreamFor(subject), new MediaAdapterCalled(operation, subject, result, clock.GetUtcNow()), null, cancellation);

    private static async Task<bool> Done(Task task)
    {
        await task;
        return true;
    }
}
