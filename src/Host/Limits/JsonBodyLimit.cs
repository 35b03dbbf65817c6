using Microsoft.AspNetCore.Http.Metadata;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Limits;

/// <summary>
/// Caps every JSON request body (default 256 KB, <c>Engine:Limits:JsonBodyBytes</c>) with a 413 problem, before a byte is bound or stored.
/// An endpoint that reads its own larger body (a definition) declares <see cref="IRequestSizeLimitMetadata"/>; uploads and
/// recording chunks are not JSON and keep their own limits.
/// </summary>
public static class JsonBodyLimit
{
    public const string ConfigurationKey = "Engine:Limits:JsonBodyBytes";
    public const long DefaultBytes = 256 * 1024;

    /// <summary>Enforced here, not by Kestrel alone: Kestrel's own refusal is a bare 413 (or a reset), and the test server does not enforce it.</summary>
    public static void UseJsonBodyLimit(this WebApplication app)
    {
        var configured = app.Configuration.GetValue(ConfigurationKey, DefaultBytes);
        app.Use(async (context, next) =>
        {
            if (!IsJson(context.Request.ContentType))
            {
                await next(context);
                return;
            }
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared ? declared.MaxRequestBodySize : configured;
            if (limit is null || await FitsAsync(context.Request, limit.Value, context.RequestAborted))
            {
                await next(context);
                return;
            }
            await ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large",
                $"A JSON body may be at most {limit.Value:N0} bytes; nothing was read or changed.", [new("", $"More than {limit.Value:N0} bytes.")]).ExecuteAsync(context);
        });
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    // A declared length is trusted to refuse early; a chunked body is read up to the limit and handed on from memory.
    private static async Task<bool> FitsAsync(HttpRequest request, long limit, CancellationToken cancellation)
    {
        if (request.ContentLength is { } length)
        {
            return length <= limit;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return false;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        request.Body = buffer;
        request.HttpContext.Response.RegisterForDisposeAsync(buffer);
        return true;
    }
}
