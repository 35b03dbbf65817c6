using Marten;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Every read of case data by staff is appended to an access-log stream of its own (one per case, one for reads across
/// cases), which no endpoint can change, with the reason the reader states (<c>X-Access-Reason</c> or <c>?reason=</c>).
/// <see cref="CaseReadFilter"/> writes it.
/// </summary>
public sealed class AccessLog(IDocumentStore store, TimeProvider clock)
{
    public const string ReasonHeader = "X-Access-Reason";
    public static readonly Guid AcrossCases = StreamFor(Guid.Empty);

    /// <summary>The access-log stream of a case: a stable id derived from the case id, never the case's own stream.</summary>
    public static Guid StreamFor(Guid caseId) => DerivedStream.For("access-log", caseId);

    /// <summary>The reason the reader states: the <c>X-Access-Reason</c> header, else <c>?reason=</c>; null when neither says anything.</summary>
    public static string? ReasonOf(HttpRequest request) =>
        new[] { request.Headers[ReasonHeader].FirstOrDefault(), request.Query["reason"].FirstOrDefault() }.FirstOrDefault(r => !string.IsNullOrWhiteSpace(r))?.Trim();

    public async Task RecordAsync(Guid? caseId, Actor reader, string what, string? reason, CancellationToken cancellation)
    {
        await DerivedStream.AppendAsync(store, caseId is { } id ? StreamFor(id) : AcrossCases,
            new EvidenceAccessed(caseId, reader.Id, reader.Role, what, reason, clock.GetUtcNow()), reader.Id, cancellation);
    }

    public async Task<IReadOnlyList<EvidenceAccessed>> ReadAsync(Guid? caseId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(caseId is { } id ? StreamFor(id) : AcrossCases, token: cancellation);
        return [.. events.Select(e => e.Data).OfType<EvidenceAccessed>()];
    }
}
