using System.Net.Http.Headers;

namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// An external timestamp authority spoken to over HTTP (RFC 3161 §3.4): POST <c>application/timestamp-query</c>,
/// read <c>application/timestamp-reply</c>. The client's timeout bounds each stamp.
/// </summary>
public sealed class HttpTimestampAuthority(HttpClient client, Uri url) : ITimestampAuthority
{
    public const string QueryType = "application/timestamp-query";

    // The second is the draft's name, still sent by some authorities.
    private static readonly string[] ReplyTypes = ["application/timestamp-reply", "application/timestamp-response"];

    public async Task<byte[]> StampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        var query = TimestampExchange.Query(data.Span);
        using var content = new ByteArrayContent(query.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue(QueryType);
        byte[] reply;
        try
        {
            using var response = await client.PostAsync(url, content, cancellation);
            if (!response.IsSuccessStatusCode)
            {
                throw new TimestampAuthorityException($"The timestamp authority at {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            var type = response.Content.Headers.ContentType?.MediaType;
            if (type is null || !ReplyTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                throw new TimestampAuthorityException($"The timestamp authority at {url} answered {type ?? "without a content type"}, not {ReplyTypes[0]}.");
            }
            reply = await response.Content.ReadAsByteArrayAsync(cancellation);
        }
        catch (TaskCanceledException ex) when (!cancellation.IsCancellationRequested)
        {
            throw new TimestampAuthorityException($"The timestamp authority at {url} did not answer within {client.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TimestampAuthorityException($"The timestamp authority at {url} could not be reached: {ex.Message}", ex);
        }
        return TimestampExchange.Accept(query, reply, $"The timestamp authority at {url}");
    }
}
