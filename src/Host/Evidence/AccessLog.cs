using Marten;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Every read by a regulator is appended to an access-log stream of its own (one per case, one for queries across
/// cases), which no endpoint can change. The reason a regulator states (<c>X-Access-Reason</c>) is kept with it.
/// </summary>
public sealed class AccessLog(IDocumentStore store, TimeProvider clock)
{
    public const string ReasonHeader = "X-Access-Reason";
    public static readonly Guid AcrossCases = StreamFor(Guid.Empty);

    /// <summary>The access-log stream of a case: a stable id derived from the case id, never the case's own stream.</summary>
    public static Guid StreamFor(Guid caseId) => DerivedStream.For("access-log", caseId);

    public async Task RecordAsync(Guid? caseId, Actor reader, string what, string? reason, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = reader.Id;
        session.Events.Append(caseId is { } id ? StreamFor(id) : AcrossCases,
            new EvidenceAccessed(caseId, reader.Id, reader.Role, what, reason, clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellation);
    }

    // Reads of a recording or a document are logged with the case they belong to.
    private static async Task<Guid?> CaseOfRequestAsync(HttpContext http)
    {
        var route = http.Request.RouteValues;
        Guid Parse(string key) => route.TryGetValue(key, out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : Guid.Empty;
        var lookup = http.RequestServices.GetRequiredService<Media.CaseLookup>();
        return Parse("id") is var caseId && caseId != Guid.Empty ? caseId
            : Parse("recordingId") is var recording && recording != Guid.Empty ? await lookup.CaseOfRecordingAsync(recording, http.RequestAborted)
            : Parse("documentId") is var document && document != Guid.Empty ? (await lookup.DocumentAsync(document, http.RequestAborted))?.CaseId
            : null;
    }

    public async Task<IReadOnlyList<EvidenceAccessed>> ReadAsync(Guid? caseId, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(caseId is { } id ? StreamFor(id) : AcrossCases, token: cancellation);
        return [.. events.Select(e => e.Data).OfType<EvidenceAccessed>()];
    }

    /// <summary>An endpoint filter: after a successful read by a regulator, the read is logged before the answer leaves.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var reader = RequestActor.Of(http.User);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        if (reader.Role == Roles.Regulator && status < 400)
        {
            var caseId = await CaseOfRequestAsync(http);
            var reason = http.Request.Headers[ReasonHeader].FirstOrDefault() ?? http.Request.Query["reason"].FirstOrDefault();
            await http.RequestServices.GetRequiredService<AccessLog>()
                .RecordAsync(caseId, reader, $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", reason, http.RequestAborted);
        }
        return result;
    }
}
