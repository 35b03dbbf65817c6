using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Limits;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Security;

/// <summary>
/// Where browsers report what the Content-Security-Policy blocked: the <c>report-uri</c> format
/// (<c>application/csp-report</c>) and the Reporting API's (<c>application/reports+json</c>). Anonymous (a report comes from
/// any page, before or after sign-in), rate limited per address, and read only up to <c>Limits:CspReportBytes</c>.
/// </summary>
public static class CspReportApi
{
    public const string Path = "/api/csp-reports";

    // Each field is cut to this, so a report cannot fill the log with one long value.
    private const int FieldLength = 512;

    public static void MapCspReports(this WebApplication app)
    {
        app.Services.GetRequiredService<CspViolations>(); // resolve at start: a report must not be the first to build it
        app.MapPost(Path, Receive).WithTags("Security").AllowAnonymous().RequireRateLimiting(RateLimits.CspReports).DisableAntiforgery()
            .WithName("ReportCspViolation").WithSummary("A browser reports what the page's Content-Security-Policy blocked; logged, nothing else changes.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Receive(HttpRequest request, AbuseLimits limits, CspViolations violations, TimeProvider clock,
        CancellationToken cancellation)
    {
        var body = await ReadBoundedAsync(request.Body, limits.CspReportBytes, cancellation);
        if (body is null)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The report is too large",
                $"A CSP report may be at most {limits.CspReportBytes:N0} bytes; it was not read.", [new("", $"More than {limits.CspReportBytes:N0} bytes.")]);
        }
        List<CspViolation> found;
        try
        {
            using var document = JsonDocument.Parse(body);
            found = [.. Violations(document.RootElement, clock.GetUtcNow())];
        }
        catch (JsonException ex)
        {
            return ApiProblems.Invalid($"A CSP report is JSON; this one is not: {ex.Message}", [new("", "Not JSON.")]);
        }
        if (found.Count == 0)
        {
            return ApiProblems.Invalid("The body holds no CSP violation: expected {\"csp-report\": {...}} or a Reporting API list of csp-violation reports.",
                [new("", "No csp-report.")]);
        }
        found.ForEach(violations.Record);
        return TypedResults.NoContent();
    }

    private static IEnumerable<CspViolation> Violations(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("csp-report", out var legacy) && legacy.ValueKind == JsonValueKind.Object)
        {
            yield return new CspViolation(Text(legacy, "document-uri"), Text(legacy, "effective-directive") is { Length: > 0 } d ? d : Text(legacy, "violated-directive"),
                Text(legacy, "blocked-uri"), Text(legacy, "source-file"), Number(legacy, "line-number"), now);
        }
        if (root.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var report in root.EnumerateArray())
        {
            if (report.ValueKind == JsonValueKind.Object && Text(report, "type") == "csp-violation" && report.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object)
            {
                yield return new CspViolation(Text(b, "documentURL"), Text(b, "effectiveDirective"), Text(b, "blockedURL"), Text(b, "sourceFile"), Number(b, "lineNumber"), now);
            }
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Cut(value.GetString()!) : "";

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static string Cut(string text) => text.Length <= FieldLength ? text : text[..FieldLength] + "…";

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than one byte past it).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellation)
    {
        var buffer = new byte[limit + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellation)) > 0)
        {
            total += read;
        }
        return total > limit ? null : buffer[..total];
    }
}
