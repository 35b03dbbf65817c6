using System.Text.Json;
using Marten;
using Npgsql;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Privacy;

namespace VirtualBranch.Host.Evidence;

/// <summary>What one sweep did (or, in a dry run, would do): kept as a document for people to read back.</summary>
public sealed record RetentionReport(string Id, DateTimeOffset GeneratedAt, IReadOnlyList<Guid> CaseIds)
{
    public bool DryRun { get; init; }

    public IReadOnlyList<ErasureResult> Results { get; init; } = [];
}

/// <summary>One case whose retention has ended: its evidence files, and what became of it.</summary>
public sealed record ErasureResult(Guid CaseId, string Number, DateTimeOffset RetainUntil, IReadOnlyList<string> Files, string Outcome, string? Detail = null)
{
    public const string WouldErase = "would-erase";
    public const string Erased = "erased";
    public const string Refused = "refused";
}

/// <summary>
/// Retention that acts (PIPL, GDPR): every night, each closed case whose retention has ended and that is not on legal hold
/// has its personal data erased. First the case records <see cref="PersonalDataErased"/> (the decider checks the hold and
/// the retention in that same decision), then its data key is destroyed (every sealed personal value then reads as
/// erased, its sealed files included) and its evidence files are deleted. A sweep that stopped between
/// the event and the rest finishes it the next time. A dry run lists what would be erased and changes nothing.
/// </summary>
public sealed class RetentionSweep(IDocumentStore store, StoredEvents events, CaseCommandService cases, PersonalDataKeys keys, ICaseEvidence files,
    IEvidenceStore plainFiles, Workflows.Media.IRecordingStaging staging, NpgsqlDataSource database, Engine.Persistence.CaseStateCache cache, TimeProvider clock, ILogger<RetentionSweep> log)
{
    public const string JobId = "retention-sweep";

    /// <summary>Who erases: the retention job, a system actor.</summary>
    public static readonly Actor Retention = new("retention", Roles.System);

    /// <summary>The nightly job.</summary>
    public Task RunAsync(CancellationToken cancellation) => SweepAsync(dryRun: false, cancellation);

    public async Task<RetentionReport> SweepAsync(bool dryRun, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var results = new List<ErasureResult>();
        foreach (var due in await LegalHoldApi.DueAsync(store, now, cancellation))
        {
            var (rows, _) = await events.ReadAsync(due.Id, cancellation);
            var vouched = rows.SelectMany(r => EvidenceFiles.In(r.Utf8Data)).Select(f => f.Sha256).Where(EvidenceHash.IsValid)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var retainUntil = due.RetainUntil!.Value;
            if (dryRun)
            {
                results.Add(new ErasureResult(due.Id, due.Number, retainUntil, vouched, ErasureResult.WouldErase));
                continue;
            }
            var outcome = await cases.ExecuteAsync(due.Id, new ErasePersonalData($"Retention ended on {retainUntil:yyyy-MM-dd}.", vouched, Retention, now),
                new RequestContext($"retention-{now:yyyyMMddHHmmss}", null), cancellation);
            if (outcome.Rejection is { } refused)
            {
                results.Add(new ErasureResult(due.Id, due.Number, retainUntil, vouched, ErasureResult.Refused, refused.Detail));
                continue;
            }
            await FinishAsync(due.Id, vouched, cancellation);
            results.Add(new ErasureResult(due.Id, due.Number, retainUntil, vouched, ErasureResult.Erased));
        }
        if (!dryRun)
        {
            await FinishInterruptedAsync(cancellation);
        }
        var report = new RetentionReport($"{now:yyyy-MM-dd}{(dryRun ? "-dry-run" : "")}", now, [.. results.Select(r => r.CaseId)]) { DryRun = dryRun, Results = results };
        await using var session = store.LightweightSession();
        session.Store(report);
        await session.SaveChangesAsync(cancellation);
        log.LogInformation("Retention sweep{DryRun}: {Erased} cases erased, {Refused} refused, {Would} would be erased",
            dryRun ? " (dry run)" : "", results.Count(r => r.Outcome == ErasureResult.Erased), results.Count(r => r.Outcome == ErasureResult.Refused),
            results.Count(r => r.Outcome == ErasureResult.WouldErase));
        return report;
    }

    /// <summary>
    /// Deletes the case's sealed copies of its files (a file kept plain, before files were sealed,
    /// is shared by content: it stays while another case still vouches for it), and any chunks of its recordings still
    /// waiting in the staging (a recording never sealed, or one a Host added to after the seal); then destroys its data key.
    /// </summary>
    private async Task FinishAsync(Guid caseId, IReadOnlyList<string> vouched, CancellationToken cancellation)
    {
        // The files first and the key last: a sweep stopped midway finds the key still there and finishes (FinishInterruptedAsync).
        foreach (var sha256 in vouched)
        {
            await files.DiscardAsync(caseId, sha256, cancellation); // the case's own sealed copy
            if (await plainFiles.ExistsAsync(sha256, cancellation) && !await VouchedElsewhereAsync(caseId, sha256, cancellation))
            {
                await plainFiles.DiscardAsync(sha256, cancellation); // a file kept plain, before sealing: shared by content
            }
        }
        var (rows, _) = await events.ReadAsync(caseId, cancellation);
        foreach (var row in rows.Where(r => r.EventType == RecordingStartedType))
        {
            if (JsonSerializer.Deserialize<Workflows.Media.RecordingStarted>(row.Utf8Data) is { } started)
            {
                await staging.DiscardChunksAsync(started.RecordingId, cancellation);
            }
        }
        await keys.DestroyAsync(caseId, cancellation);
        cache.Forget(caseId); // its state was opened with the key; every other Host forgets it too (ErasureRelay)
    }

    private static readonly string RecordingStartedType = Engine.Persistence.CaseStreams.EventTypeName(typeof(Workflows.Media.RecordingStarted));

    // Cases erased by a sweep that stopped before destroying their key: their event says which files.
    private async Task FinishInterruptedAsync(CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var erased = await session.Query<Engine.Persistence.CaseSummary>().Where(c => c.PersonalDataErasedAt != null).Select(c => c.Id).ToListAsync(cancellation);
        foreach (var caseId in erased)
        {
            if (await keys.IsDestroyedAsync(caseId, cancellation))
            {
                continue;
            }
            var stream = await session.Events.FetchStreamAsync(caseId, token: cancellation);
            if (stream.Select(e => e.Data).OfType<PersonalDataErased>().LastOrDefault() is { } done)
            {
                log.LogWarning("Finishing the erasure of case {CaseId}: its key was still there", caseId);
                await FinishAsync(caseId, done.Files, cancellation);
            }
        }
    }

    private async Task<bool> VouchedElsewhereAsync(Guid caseId, string sha256, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            "select exists (select 1 from vb.mt_events e join vb.mt_doc_casesummary s on s.id = e.stream_id " +
            "where e.stream_id <> $1 and (s.data ->> 'PersonalDataErasedAt') is null and strpos(e.data::text, $2) > 0)");
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        command.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        return await command.ExecuteScalarAsync(cancellation) is true;
    }
}
