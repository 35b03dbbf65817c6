using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Evidence;

/// <summary><c>GET /api/cases/{id}/evidence/{sha256}</c>: any file a case's events vouch for (the signed contract PDF, its signature).</summary>
public static class EvidenceFileApi
{
    public static void MapEvidenceFileApi(this WebApplication app) =>
        app.MapGet("/api/cases/{id:guid}/evidence/{sha256}", async (Guid id, string sha256, HttpContext http, StoredEvents events, EvidenceStore store,
                CaseCommandService cases, CancellationToken cancellation) =>
            {
                IResult result;
                if (!await CaseAccess.MayReadAsync(http.User, id, cases, cancellation))
                {
                    return (IResult)ApiProblems.Forbidden("Not allowed", "Evidence is for the case's tellers, supervisors and regulators.");
                }
                var (rows, _) = await events.ReadAsync(id, cancellation);
                var file = rows.SelectMany(r => EvidenceFiles.In(r.Utf8Data)).FirstOrDefault(f => f.Sha256 == sha256);
                result = file is null ? ApiProblems.NotFound("No such evidence", $"No event of case {id} vouches for {sha256}.")
                    : !store.Exists(sha256) ? ApiProblems.NotFound("Evidence file missing", $"The file {sha256} is not in the evidence store; run verify.")
                    : TypedResults.File(store.Open(sha256), file.MediaType ?? "application/octet-stream", $"{file.Kind}-{sha256[..12]}", enableRangeProcessing: true);
                return result;
            })
            .WithTags("Evidence").RequireAuthorization().AddEndpointFilter(AccessLog.Filter).WithName("GetEvidenceFile")
            .WithSummary("A file the case's events vouch for, by its SHA-256 (tellers of the case, supervisors, regulators).");
}
