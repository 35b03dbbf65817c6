using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// The local authority served over HTTP (RFC 3161 §3.4), anonymous like any public TSA. A body that is not a DER
/// TimeStampReq is refused with 400 problem details (no RFC 3161 client sends one; a person with curl gets words);
/// a well-formed query the authority will not honour gets an RFC 3161 rejection inside a 200 reply, as the RFC has it.
/// </summary>
public static class TimestampApi
{
    public const string ReplyType = "application/timestamp-reply";

    /// <summary>A TimeStampReq is about a hundred bytes; a few KB leaves room for extensions without inviting uploads.</summary>
    public const int MaxQueryBytes = 4096;

    public static void MapTimestampApi(this WebApplication app)
    {
        app.MapPost("/api/timestamp", Stamp).WithTags("Timestamps").WithName("Timestamp").AllowAnonymous()
            .WithSummary("RFC 3161 timestamp: a DER TimeStampReq in (application/timestamp-query), a DER TimeStampResp out (application/timestamp-reply).")
            .Accepts<byte[]>(HttpTimestampAuthority.QueryType)
            .Produces(StatusCodes.Status200OK, contentType: ReplyType).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Stamp(HttpRequest request, ITimestampAuthority authority,
        CancellationToken cancellation)
    {
        if (authority is not LocalTimestampAuthority local)
        {
            return ApiProblems.NotFound("No local timestamp authority", "This Host takes its timestamps from the authority at Timestamp:Url; ask that one.");
        }
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), HttpTimestampAuthority.QueryType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Not a timestamp query",
                $"Send a DER-encoded RFC 3161 TimeStampReq as {HttpTimestampAuthority.QueryType}.", []);
        }
        var query = request.ContentLength > MaxQueryBytes ? null : await ReadAtMost(request.Body, MaxQueryBytes, cancellation);
        if (query is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Timestamp query too large", $"A TimeStampReq fits in {MaxQueryBytes} bytes.", []);
        }
        var reply = local.Reply(query);
        return reply is null
            ? ApiProblems.Invalid("The body is not a DER-encoded RFC 3161 TimeStampReq.", [])
            : TypedResults.Bytes(reply, ReplyType);
    }

    private static async Task<byte[]?> ReadAtMost(Stream body, int limit, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
