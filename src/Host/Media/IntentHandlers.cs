using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Workflows.ESign;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Media;

internal static class IntentActors
{
    public static readonly Actor Media = new("media-adapter", VirtualBranch.Engine.Activities.Roles.System);
    public static readonly Actor Signing = new("e-sign-provider", VirtualBranch.Engine.Activities.Roles.System);
}

/// <summary>
/// Carries out what a step asks of the outside world after the asking transaction committed, and feeds the result
/// back to the waiting step. Wolverine retries it until it lands; a result that arrives twice finds the step no
/// longer waiting and changes nothing.
/// </summary>
public static class RecordingStopRequestedHandler
{
    /// <summary>The longest the seal waits for recorders to send their last chunks and end their segments.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The teller's page learns that the recording stops only at its next poll and still sends the last second of the
    /// session: the seal waits until every recorder has ended its segment, or has sent nothing for <c>Media:SealWaitSeconds</c>
    /// (default 10; a closed page never ends its segment), so the end of the session is on record too.
    /// </summary>
    private static async Task UntilRecordersEndedAsync(Guid recordingId, IMediaAdapter media, TimeProvider clock, IConfiguration configuration, CancellationToken cancellation)
    {
        var quiet = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Media:SealWaitSeconds", 10)));
        var until = clock.GetUtcNow() + MaxWait;
        while (await media.LastOpenChunkAtAsync(recordingId, cancellation) is { } last && clock.GetUtcNow() - last < quiet && clock.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellation);
        }
    }

    public static async Task Handle(RecordingStopRequested intent, IMediaAdapter media, CaseCommandService cases, TimeProvider clock, IConfiguration configuration,
        CancellationToken cancellation)
    {
        await UntilRecordersEndedAsync(intent.RecordingId, media, clock, configuration, cancellation);
        var seal = await media.SealAsync(intent.RecordingId, cancellation);
        var input = JsonSerializer.SerializeToElement(new
        {
            mediaType = seal.MediaType,
            segments = seal.Segments.Select(s => new
            {
                segment = s.Segment, sha256 = s.Sha256, size = s.Size, chunks = s.Chunks, declaredChunks = s.DeclaredChunks, firstChunkAt = s.FirstChunkAt, lastChunkAt = s.LastChunkAt,
            }),
        });
        await cases.ExecuteAsync(intent.CaseId, new ResumeBookmark(intent.BookmarkId, input, IntentActors.Media, clock.GetUtcNow()),
            new RequestContext($"intent:{intent.BookmarkId}:{intent.CaseId:N}", null), cancellation);
    }
}

/// <summary>
/// Carries out what a step asks of the outside world after the asking transaction committed, and feeds the result
/// back to the waiting step. Wolverine retries it until it lands; a result that arrives twice finds the step no
/// longer waiting and changes nothing.
/// </summary>
public static class ContractSigningRequestedHandler
{
    public static async Task Handle(ContractSigningRequested intent, IESignProvider signer, ICaseEvidence evidence, CaseCommandService cases, TimeProvider clock,
        CancellationToken cancellation)
    {
        var contract = await signer.SealAsync(intent.Title, intent.Text, intent.Signer, cancellation);
        var (pdfSha, pdfSize) = await evidence.PutAsync(intent.CaseId, new MemoryStream(contract.Pdf), cancellation);
        var (sigSha, sigSize) = await evidence.PutAsync(intent.CaseId, new MemoryStream(contract.Signature), cancellation);
        var input = JsonSerializer.SerializeToElement(new
        {
            pdfSha256 = pdfSha, pdfSize, signatureSha256 = sigSha, signatureSize = sigSize, signer = contract.Signer, signerCertificate = contract.SignerCertificateThumbprint,
        });
        await cases.ExecuteAsync(intent.CaseId, new ResumeBookmark(intent.BookmarkId, input, IntentActors.Signing, clock.GetUtcNow()),
            new RequestContext($"intent:{intent.BookmarkId}:{intent.CaseId:N}", null), cancellation);
    }
}
