using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// <c>GET /api/cases/{id}/changes</c>: the case's version as server-sent events, the current one first and then each new
/// one as it is committed on any Host (<see cref="CaseChanges"/>), so the pages read the case when it changes instead of
/// asking every second. After 15 s without a change the version is read again (a notification lost with a stopped Host
/// delays a page by that much) and, unchanged, a comment keeps proxies from closing the quiet stream. Whoever may read the
/// customer's view of the case may follow it (the rule of <see cref="CaseReadRule"/>); the stream holds version numbers
/// and no case data, so following is not a read for the access log. The stream ends when the Host stops.
/// <c>GET /api/queue/changes</c> tells the staff who read the queue that some case changed (<c>event: queue</c>, at most
/// every 2 s however busy the bank), so the teller page reads its queue then instead of every few seconds.
/// </summary>
public static class CaseChangesApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan QueueAtMostEvery = TimeSpan.FromSeconds(2);

    public static void MapCaseChangesApi(this WebApplication app)
    {
        app.MapGet("/api/cases/{id:guid}/changes", Follow).WithTags("Workbench").RequireAuthorization().ExcludeFromDescription();
        app.MapGet("/api/queue/changes", FollowQueue).WithTags("Workbench").RequireAuthorization().ExcludeFromDescription();
    }

    private static async Task<IResult> FollowQueue(HttpContext http, CaseChanges changes, TimeProvider clock, IHostApplicationLifetime lifetime)
    {
        if (CaseReadRule.Refusal(http.User, null, CaseReadScope.Workbench) is { } refused)
        {
            return refused;
        }
        using var watch = changes.FollowAll();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellation = ending.Token;
        StartStream(http);
        try
        {
            for (var changed = 0; !cancellation.IsCancellationRequested; changed++)
            {
                await WriteAsync(http, $"event: queue\ndata: {{\"changes\":{changed}}}\n\n", cancellation);
                while (!await WokenAsync(watch, cancellation))
                {
                    await WriteAsync(http, ": still here\n\n", cancellation);
                }
                await Task.Delay(QueueAtMostEvery, clock, cancellation); // what else changes meanwhile is told by this one event
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the page went away or the Host is stopping: the page follows again
        }
        return Results.Empty;
    }

    /// <summary>Waits for a change, at most <see cref="KeepAlive"/>: true when one came.</summary>
    private static async Task<bool> WokenAsync(CaseChanges.Watch watch, CancellationToken cancellation)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        quiet.CancelAfter(KeepAlive);
        try
        {
            return await watch.Changed.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private static void StartStream(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold the events back
    }

    private static async Task<IResult> Follow(Guid id, HttpContext http, CaseChanges changes, CaseCommandService cases, TimeProvider clock,
        IHostApplicationLifetime lifetime, ILogger<CaseChanges> log)
    {
        using var watch = changes.Follow(id); // before the first read: a change committed in between still wakes it
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        // A bearer token's stream ends with the token: the page follows again with a fresh one, or stops being told.
        if (long.TryParse(http.User.FindFirst("exp")?.Value, out var exp) && DateTimeOffset.FromUnixTimeSeconds(exp) - clock.GetUtcNow() is var left)
        {
            ending.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        var cancellation = ending.Token;
        long? version;
        try
        {
            var state = await cases.CurrentAsync(id, null, cancellation);
            if (CaseReadRule.Refusal(http.User, state, CaseReadScope.CustomerView) is { } refused)
            {
                return refused;
            }
            if (state is null)
            {
                return Problems.ApiProblems.NotFound("No such case", $"Case {id} does not exist.");
            }
            version = state.Version;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable); // the Host is stopping, or the caller left
        }
        StartStream(http);
        try
        {
            await WriteAsync(http, $"event: version\ndata: {{\"version\":{version}}}\n\n", cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                var woken = await WokenAsync(watch, cancellation); // quiet for a while: read the version anyway, below
                // Read as the rule stands now: a revoked link, or a case another teller took, ends the stream.
                var state = await cases.CurrentAsync(id, null, cancellation);
                if (state is null || CaseReadRule.Refusal(http.User, state, CaseReadScope.CustomerView) is not null)
                {
                    break;
                }
                if (state.Version != version)
                {
                    version = state.Version;
                    await WriteAsync(http, $"event: version\ndata: {{\"version\":{version}}}\n\n", cancellation);
                }
                else if (!woken)
                {
                    await WriteAsync(http, ": still here\n\n", cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // the page went away, the token ran out or the Host is stopping: the page follows again (on another Host, behind a balancer)
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or IOException or InvalidOperationException)
        {
            // The stream has started: end it; the page says the connection was lost and follows again.
            log.LogWarning(ex, "Following case {CaseId} ended early", id);
        }
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpContext http, string text, CancellationToken cancellation)
    {
        await http.Response.WriteAsync(text, cancellation);
        await http.Response.Body.FlushAsync(cancellation);
    }
}
