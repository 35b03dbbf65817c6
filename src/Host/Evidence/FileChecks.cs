using System.Text.Json;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// What the evidence store says of every file a stream's events vouch for, asked before the chain is walked: a store in
/// PostgreSQL answers asynchronously, and the chain walk (which reports the first broken version) stays a pure function.
/// A file the case's own chained <see cref="Engine.Runtime.PersonalDataErased"/> lists was deleted by retention: its
/// absence is what that event says, not damage.
/// </summary>
public sealed class FileChecks(IReadOnlyDictionary<EvidenceFile, string?> problems)
{
    public static async Task<FileChecks> OfAsync(ICaseEvidence files, Guid caseId, IEnumerable<ChainedRow> rows, CancellationToken cancellation)
    {
        var all = rows.ToList();
        var erased = all.Where(r => r.EventType == ErasedType).SelectMany(ErasedFiles).ToHashSet(StringComparer.Ordinal);
        var problems = new Dictionary<EvidenceFile, string?>();
        foreach (var file in all.SelectMany(Vouched))
        {
            if (!problems.ContainsKey(file))
            {
                problems[file] = erased.Contains(file.Sha256) && !await files.ExistsAsync(caseId, file.Sha256, cancellation) ? null : await files.CheckAsync(caseId, file, cancellation);
            }
        }
        return new FileChecks(problems);
    }

    private static readonly string ErasedType = Engine.Persistence.CaseStreams.EventTypeName(typeof(Engine.Runtime.PersonalDataErased));

    private static IEnumerable<string> ErasedFiles(ChainedRow row)
    {
        try
        {
            return JsonSerializer.Deserialize<Engine.Runtime.PersonalDataErased>(row.Utf8Data)?.Files ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The row's files and the first problem among them, for <see cref="ChainVerifier.Verify"/>.</summary>
    public (int Files, string? Problem) Of(ChainedRow row)
    {
        var vouched = EvidenceFiles.In(row.Utf8Data);
        var problem = vouched.Select(f => problems.TryGetValue(f, out var p) ? p : $"file not checked: the {f.Kind} {f.Sha256}").FirstOrDefault(p => p is not null);
        return (vouched.Count, problem is null ? null : $"{problem} (vouched for by version {row.Version}, {row.EventType})");
    }

    // A row whose data is not JSON is the chain walk's to report, at its version; here it vouches for nothing.
    private static IReadOnlyList<EvidenceFile> Vouched(ChainedRow row)
    {
        try
        {
            return EvidenceFiles.In(row.Utf8Data);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }
}
