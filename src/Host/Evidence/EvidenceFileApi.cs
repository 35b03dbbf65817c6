using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Evidence;

/// <summary><c>GET /api/cases/{id}/evidence/{sha256}</c>: any file a case's events vouch for (the signed contract PDF, its signature).</summary>
public static class EvidenceFileApi
{
    public static void MapEvidenceFileApi(this WebApplication app) =>
        app.MapGet("/api/cases/{id:guid}/evidence/{sha256}", async (Guid id, string sha256, HttpContext http, StoredEvents events, ICaseEvidence store, CancellationToken cancellation) =>
            {
                IResult result;
                var (rows, _) = await events.ReadAsync(id, cancellation);
                var file = rows.SelectMany(r => EvidenceFiles.In(r.Utf8Data)).FirstOrDefault(f => f.Sha256 == sha256);
                result = file is null || !EvidenceHash.IsValid(sha256) ? ApiProblems.NotFound("No such evidence", $"No event of case {id} vouches for {sha256}.")
                    : await store.OpenAsync(id, sha256, cancellation) is not { } content ? ApiProblems.NotFound("Evidence file missing", $"The file {sha256} is not in the evidence store; run verify.")
                    : SafeDownload.File(http, content, file.MediaType, file.Kind, sha256);
                return result;
            })
            .WithTags("Evidence").RequireAuthorization().RequireCaseRead(CaseReadScope.CaseFiles).WithName("GetEvidenceFile")
            .WithSummary("A file the case's events vouch for, by its SHA-256 (the teller who works the case, supervisors, regulators).");
}
