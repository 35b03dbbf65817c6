using Marten;
using Marten.Schema;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// The ceiling: the same events appended with nothing else, one transaction per command — or, <c>limit-grouped</c>,
/// committed together with other cases' commands the way the engine's <see cref="GroupCommit{T}"/> does.
/// </summary>
public sealed class Limit(IDocumentStore store) : IAsyncDisposable
{
    private sealed record Command(Guid CaseId, long VersionBefore, object[] Events);

    private readonly GroupCommit<Command> _grouped = new(commands => CommitAsync(store, commands), c => c.CaseId);

    public async Task<List<double>> RunAsync(IReadOnlyList<IReadOnlyList<object>> batches, bool grouped)
    {
        var id = Guid.CreateVersion7();
        var latencies = new List<double>(batches.Count);
        var version = 0L;
        foreach (var batch in batches)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var command = new Command(id, version, [.. batch]);
            await (grouped ? _grouped.WriteAsync(command) : CommitAsync(store, [command]));
            version += batch.Count;
            latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

    public ValueTask DisposeAsync() => _grouped.DisposeAsync();

    private static async Task CommitAsync(IDocumentStore store, IReadOnlyList<Command> commands)
    {
        await using var session = store.LightweightSession();
        foreach (var command in commands)
        {
            if (command.VersionBefore == 0)
            {
                session.Events.StartStream(command.CaseId, command.Events);
            }
            else
            {
                session.Events.Append(command.CaseId, command.VersionBefore + command.Events.Length, command.Events);
            }
        }
        await session.SaveChangesAsync();
    }
}

/// <summary>The peer: how a team would build the case without an engine — one state document per case, optimistic concurrency, an audit row per command.</summary>
[UseOptimisticConcurrency]
public sealed class PeerCase
{
    public Guid Id { get; set; }

    public string Status { get; set; } = "running";

    public string Step { get; set; } = "";

    public Dictionary<string, string> Answers { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One row per command in the peer design.</summary>
public sealed class PeerAudit
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string Command { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

public static class Peer
{
    private static readonly string[] Steps = ["open", "video", "consent", "identity", "willingness", "id-card", "income-proof", "due-diligence", "contract-consent", "contract-seal", "recording-seal"];

    public static async Task<List<double>> RunAsync(IDocumentStore store)
    {
        var id = Guid.CreateVersion7();
        var latencies = new List<double>(Steps.Length);
        foreach (var step in Steps)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var session = store.LightweightSession();
            var state = step == "open" ? new PeerCase { Id = id } : await session.LoadAsync<PeerCase>(id) ?? throw new InvalidOperationException("lost");
            state.Step = step;
            state.Answers[step] = $"{{\"answered\":true,\"step\":\"{step}\"}}";
            state.UpdatedAt = DateTimeOffset.UtcNow;
            if (step == "recording-seal")
            {
                state.Status = "completed";
            }
            if (step == "open")
            {
                session.Insert(state);
            }
            else
            {
                session.Store(state);
            }
            session.Insert(new PeerAudit { Id = Guid.NewGuid(), CaseId = id, Command = step, Actor = "bench", At = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
            latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }
}
