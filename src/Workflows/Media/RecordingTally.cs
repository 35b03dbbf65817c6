namespace VirtualBranch.Workflows.Media;

/// <summary>
/// What a recording's staging holds, counted once per process and then kept up to date under the recording's lock:
/// counting every chunk again for each chunk made a long session's uploads quadratic (an hour is 7,200 chunks). Another
/// Host may add chunks meanwhile; the adapter counts again when a chunk looks like a gap.
/// </summary>
public sealed class RecordingTally
{
    private readonly IRecordingStaging _staging;
    private readonly Guid _recordingId;
    private readonly Dictionary<int, int> _next;

    private RecordingTally(IRecordingStaging staging, Guid recordingId, Dictionary<int, int> next, long held)
    {
        _staging = staging;
        _recordingId = recordingId;
        _next = next;
        Held = held;
    }

    /// <summary>Bytes held across every segment: the scenario's size limit counts them all.</summary>
    public long Held { get; private set; }

    public static async Task<RecordingTally> CountAsync(IRecordingStaging staging, Guid recordingId, int segments, CancellationToken cancellation)
    {
        var next = new Dictionary<int, int>();
        long held = 0;
        for (var segment = 0; segment < segments; segment++)
        {
            var chunks = await staging.ChunksAsync(recordingId, segment, cancellation);
            next[segment] = chunks.Count;
            held += chunks.Sum(c => c.Size);
        }
        return new RecordingTally(staging, recordingId, next, held);
    }

    /// <summary>The index the segment's next chunk must have (a segment opened since the count starts empty).</summary>
    public async Task<int> NextInAsync(int segment, CancellationToken cancellation) =>
        _next.TryGetValue(segment, out var next) ? next : _next[segment] = (await _staging.ChunksAsync(_recordingId, segment, cancellation)).Count;

    public void Accepted(int segment, long bytes)
    {
        _next[segment]++;
        Held += bytes;
    }
}
