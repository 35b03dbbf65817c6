using Marten;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// <c>GET /api/cases/{id}/changes</c>: the case's version as server-sent events, the current one first and then each new
/// one as it is committed on any Host (<see cref="CaseChanges"/>), so the pages read the case when it changes instead of
/// asking every second. After 15 s without a change the version is read again (a notification lost with a stopped Host
/// delays a page by that much) and, unchanged, a comment keeps proxies from closing the quiet stream. Whoever may read the
/// customer's view of the case may follow it (the rule of <see cref="CaseReadRule"/>); the stream holds version numbers
/// and no case data, so following is not a read for the access log. The stream ends when the Host stops.
/// </summary>
public static class CaseChangesApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void MapCaseChangesApi(this WebApplication app) =>
        app.MapGet("/api/cases/{id:guid}/changes", Follow).WithTags("Workbench").RequireAuthorization()
            .ExcludeFromDescription();

    private static async Task<IResult> Follow(Guid id, HttpContext http, CaseChanges changes, CaseCommandService cases, IDocumentStore store,
        IHostApplicationLifetime lifetime)
    {
        if (CaseReadRule.Refusal(http.User, await cases.CurrentAsync(id, null, http.RequestAborted), CaseReadScope.CustomerView) is { } refused)
        {
            return refused;
        }
        using var watch = changes.Follow(id); // before the first read: a change committed in between still wakes it
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellation = ending.Token;
        var version = await VersionAsync(store, id, cancellation);
        if (version is null)
        {
            return Problems.ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold the events back
        try
        {
            await WriteAsync(http, $"event: version\ndata: {{\"version\":{version}}}\n\n", cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                quiet.CancelAfter(KeepAlive);
                try
                {
                    await watch.Changed.ReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    // quiet for a while: read the version anyway, below
                }
                if (await VersionAsync(store, id, cancellation) is { } now && now != version)
                {
                    version = now;
                    await WriteAsync(http, $"event: version\ndata: {{\"version\":{version}}}\n\n", cancellation);
                }
                else if (quiet.IsCancellationRequested)
                {
                    await WriteAsync(http, ": still here\n\n", cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // the page went away, or the Host is stopping: the page reconnects (to another Host, behind a balancer)
        }
        return Results.Empty;
    }

    private static async Task<long?> VersionAsync(IDocumentStore store, Guid id, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id, cancellation))?.Version;
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellation)
    {
        await http.Response.WriteAsync(text, cancellation);
        await http.Response.Body.FlushAsync(cancellation);
    }
}
