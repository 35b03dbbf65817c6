using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Cases.Idempotency;

/// <summary>
/// Makes a case command safe to retry: the same <c>Idempotency-Key</c> from the same caller with the same request answers
/// what its first use answered (the case as that command left it, same status), never a second step; with another
/// request it is refused (422). A command that was refused or changed nothing leaves the key unused. An endpoint whose
/// answer is not the case (a link sent, nothing) says how to rebuild it from the stream (<see cref="Replay"/>).
/// </summary>
public sealed class IdempotencyFilter(int successStatus, IdempotencyFilter.Replay? replay = null) : IEndpointFilter
{
    /// <summary>What a key's first use answered, rebuilt from the case's stream as that use left it.</summary>
    public delegate Task<IResult> Replay(IQuerySession session, FirstUse first, HttpContext http);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyKeys.Header, out var header)) // present but empty is a bad key, not none
        {
            return await next(context);
        }
        var key = header.ToString();
        if (header.Count > 1 || string.IsNullOrWhiteSpace(key) || key.Length > IdempotencyKeys.MaxLength)
        {
            var why = header.Count > 1 ? "Sent more than once." : string.IsNullOrWhiteSpace(key) ? "Empty." : $"{key.Length} characters.";
            return ApiProblems.Invalid($"{IdempotencyKeys.Header} must be one key of 1 to {IdempotencyKeys.MaxLength} characters (e.g. a UUID); nothing was done.",
                [new(IdempotencyKeys.Header, why)]);
        }
        var keys = http.RequestServices.GetRequiredService<IdempotencyKeys>();
        var caller = RequestActor.Of(http.User).Id;
        var fingerprint = await FingerprintAsync(http.Request);
        if (await keys.FindAsync(caller, key, http.RequestAborted) is { } first)
        {
            return await AnswerAsync(first, key, fingerprint, http);
        }
        var claim = new IdempotencyClaim(caller, key, fingerprint, successStatus);
        http.Items[typeof(IdempotencyClaim)] = claim;
        try
        {
            var result = await next(context);
            // Refused, or nothing to do, perhaps because the same key arrived twice at once and the other request's step won.
            return !claim.Claimed && await keys.FindAsync(caller, key, http.RequestAborted) is { } winner ? await AnswerAsync(winner, key, fingerprint, http) : result;
        }
        catch (Exception ex) when (IdempotencyKeys.IsClaimedByAnother(ex))
        {
            return await AnswerAsync((await keys.FindAsync(caller, key, http.RequestAborted))!, key, fingerprint, http);
        }
    }

    private async Task<IResult> AnswerAsync(FirstUse first, string key, string fingerprint, HttpContext http)
    {
        if (first.Fingerprint != fingerprint)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "The idempotency key belongs to another request",
                $"{IdempotencyKeys.Header} '{key}' was first used for a different request (method, path or body); a key names one request. Nothing was done: send a new key for a new request.",
                [new(IdempotencyKeys.Header, "Used for another request.")]);
        }
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return await (replay ?? TheCase)(session, first, http);
    }

    /// <summary>The case as the first use left it, with the status it answered.</summary>
    private static async Task<IResult> TheCase(IQuerySession session, FirstUse first, HttpContext http)
    {
        var state = (await CaseStreams.LoadAsync(session, first.CaseId, first.Version, cancellation: http.RequestAborted))!;
        http.Response.Headers.ETag = $"\"{state.Version}\"";
        var body = CaseBody.From(state);
        return first.Status == StatusCodes.Status201Created ? TypedResults.Created($"/api/cases/{first.CaseId}", body) : TypedResults.Ok(body);
    }

    /// <summary>For endpoints that answer 204: the first use changed the case, so does the retry's answer say.</summary>
    public static readonly Replay Nothing = (_, _, _) => Task.FromResult<IResult>(TypedResults.NoContent());

    /// <summary>SHA-256 of the method, path, query and body (buffered by <see cref="IdempotencySetup.UseIdempotencyKeys"/>).</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
