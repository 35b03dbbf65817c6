using System.Collections.Concurrent;

namespace VirtualBranch.Host.Security;

/// <summary>One CSP violation a browser reported: which page, which directive, what was blocked and where in which script.</summary>
public sealed record CspViolation(string DocumentUri, string Directive, string BlockedUri, string? SourceFile, int? Line, DateTimeOffset ReceivedAt);

/// <summary>
/// Where reported violations go: a warning in the log for the operator, and the last hundred in memory (the count since
/// start too) for whoever watches this Host, such as a metrics exporter or a test.
/// </summary>
public sealed class CspViolations(ILogger<CspViolations> log)
{
    private const int Kept = 100;
    private readonly ConcurrentQueue<CspViolation> _recent = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<CspViolation> Recent => [.. _recent];

    public void Record(CspViolation violation)
    {
        Interlocked.Increment(ref _count);
        _recent.Enqueue(violation);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }
        log.LogWarning("CSP violation on {DocumentUri}: {Directive} blocked {BlockedUri} ({SourceFile}:{Line})",
            violation.DocumentUri, violation.Directive, violation.BlockedUri, violation.SourceFile, violation.Line);
    }
}
