using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Guards every endpoint that returns case data: <see cref="CaseReadRule"/> decides before the handler runs, and a
/// successful read by staff (teller, supervisor, regulator) is appended to the case's access log before the answer leaves.
/// </summary>
public static class CaseReadFilter
{
    /// <summary>The reason recorded for the workbench's own reads when the page states none.</summary>
    public const string WorkingTheCase = "working the case";

    private static readonly HashSet<string> Staff = [Roles.Teller, Roles.Supervisor, Roles.Regulator];

    /// <summary>Applies the read rule at <paramref name="scope"/> and logs each successful staff read (with <paramref name="defaultReason"/> when none is stated).</summary>
    public static TBuilder RequireCaseRead<TBuilder>(this TBuilder builder, CaseReadScope scope, string? defaultReason = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caseId = await CaseOfRequestAsync(http);
            var state = caseId is { } id ? await http.RequestServices.GetRequiredService<CaseCommandService>().CurrentAsync(id, null, http.RequestAborted) : null;
            if (CaseReadRule.Refusal(http.User, state, scope) is { } refused)
            {
                return refused;
            }
            var result = await next(context);
            var reader = RequestActor.Of(http.User);
            if (Staff.Contains(reader.Role) && StatusOf(result) is >= 200 and < 300)
            {
                await http.RequestServices.GetRequiredService<AccessLog>().RecordAsync(caseId, reader,
                    $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", AccessLog.ReasonOf(http.Request) ?? defaultReason, http.RequestAborted);
            }
            return result;
        });

    // The result is not executed yet: its status is read from the typed result (inside Results<...> unions too).
    private static int StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult { StatusCode: { } code } => code,
        _ => StatusCodes.Status200OK,
    };

    // A recording or a document is read as part of the case it belongs to.
    private static async Task<Guid?> CaseOfRequestAsync(HttpContext http)
    {
        var route = http.Request.RouteValues;
        Guid Parse(string key) => route.TryGetValue(key, out var raw) && Guid.TryParse(raw?.ToString(), out var id) ? id : Guid.Empty;
        var lookup = http.RequestServices.GetRequiredService<CaseLookup>();
        return Parse("id") is var caseId && caseId != Guid.Empty ? caseId
            : Parse("recordingId") is var recording && recording != Guid.Empty ? await lookup.CaseOfRecordingAsync(recording, http.RequestAborted)
            : Parse("documentId") is var document && document != Guid.Empty ? (await lookup.DocumentAsync(document, http.RequestAborted))?.CaseId
            : null;
    }
}
