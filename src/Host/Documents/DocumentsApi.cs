using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Media;
using VirtualBranch.Host.Problems;
using VirtualBranch.Workflows.Documents;

namespace VirtualBranch.Host.Documents;

/// <summary>Documents for a case's document-collection step, stored content-addressed with SHA-256.</summary>
public static class DocumentsApi
{
    public const long MaxBytes = 20_000_000;
    private static readonly Actor Uploads = new("document-upload", VirtualBranch.Engine.Activities.Roles.System);

    public sealed record DocumentReceipt(Guid DocumentId, string Kind, string Sha256, long Size, string MediaType);

    public static void MapDocumentsApi(this WebApplication app)
    {
        app.MapPost("/api/cases/{id:guid}/documents", Upload).WithTags("Documents").RequireAuthorization().DisableAntiforgery().RequireRateLimiting(Limits.RateLimits.Uploads)
            .WithName("UploadDocument").WithSummary("Upload a document (multipart: kind, file) for the case's document-collection step.");
        app.MapGet("/api/documents/{documentId:guid}", Download).WithTags("Documents").RequireAuthorization().RequireCaseRead(CaseReadScope.CaseFiles)
            .WithName("GetDocument").WithSummary("A collected document (the teller who works the case, supervisors, regulators).");
    }

    private static async Task<Results<Created<DocumentReceipt>, ProblemHttpResult>> Upload(Guid id, HttpRequest request, CaseCommandService cases,
        ICaseEvidence evidence, TimeProvider clock, CancellationToken cancellation)
    {
        if (await cases.CurrentAsync(id, null, cancellation) is not { } state)
        {
            return ApiProblems.NotFound("No such case", $"There is no case {id}.");
        }
        if (CaseAccess.Refusal(request.HttpContext.User, state) is { } refused)
        {
            return refused;
        }
        if (DocumentCollection.Waiting(state) is not { } step)
        {
            return ApiProblems.Conflict("No step collects documents", $"Case {state.Number} is not waiting for documents now.");
        }
        if (!request.HasFormContentType)
        {
            return ApiProblems.Invalid("Send the document as multipart/form-data with the fields kind and file.", [new("Content-Type", "Not multipart/form-data.")]);
        }
        var form = await request.ReadFormAsync(cancellation);
        var kind = form["kind"].FirstOrDefault();
        var file = form.Files["file"];
        if (string.IsNullOrWhiteSpace(kind) || file is null)
        {
            return ApiProblems.Invalid("Both the kind and the file are needed.", [.. Missing("/kind", kind is null or ""), .. Missing("/file", file is null)]);
        }
        if (file.Length > MaxBytes)
        {
            return ApiProblems.Invalid($"The file is {file.Length:N0} bytes; at most {MaxBytes:N0} are accepted.", [new("/file", "Too large.")]);
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellation);
        var sha = Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
        var documentId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{id:N}/{sha}"))[..16]);
        if (UploadContent.Check(file.ContentType, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var mediaType) is { } wrong)
        {
            return ApiProblems.Invalid($"{wrong.Message} Nothing was stored.", [wrong]);
        }
        var payload = JsonSerializer.SerializeToElement(new
        {
            documentId, kind, sha256 = sha, size = buffer.Length, mediaType, fileName = Path.GetFileName(file.FileName), uploadedBy = RequestActor.Of(request.HttpContext.User).Id,
        });
        var existed = await evidence.ExistsAsync(id, sha, cancellation);
        buffer.Position = 0;
        await evidence.PutAsync(id, buffer, cancellation);
        var outcome = await cases.ExecuteAsync(id, new ResumeBookmark(step.BookmarkId, payload, Uploads, clock.GetUtcNow()),
            RequestActor.Context(request.HttpContext), cancellation);
        if (outcome.Rejection is { } rejected)
        {
            if (!existed)
            {
                await evidence.DiscardAsync(id, sha, CancellationToken.None); // refused: leave the store as it was
            }
            return ApiProblems.From(rejected);
        }
        return TypedResults.Created($"/api/documents/{documentId}", new DocumentReceipt(documentId, kind, sha, buffer.Length, mediaType));
    }

    private static async Task<IResult> Download(Guid documentId, HttpContext http, CaseLookup lookup, ICaseEvidence evidence, CancellationToken cancellation)
    {
        if (await lookup.DocumentAsync(documentId, cancellation) is not { } document)
        {
            return ApiProblems.NotFound("No such document", $"There is no document {documentId}.");
        }
        return EvidenceHash.IsValid(document.Sha256) && await evidence.OpenAsync(document.CaseId, document.Sha256, cancellation) is { } content
            ? SafeDownload.File(http, content, document.MediaType, document.Kind, document.Sha256)
            : ApiProblems.NotFound("Document file missing", $"The file {document.Sha256} is not in the evidence store; run verify.");
    }

    private static IEnumerable<FieldError> Missing(string path, bool missing) => missing ? [new FieldError(path, "Required.")] : [];
}
