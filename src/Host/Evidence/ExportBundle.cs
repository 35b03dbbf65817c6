using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Host.Evidence;

/// <summary>The manifest of an evidence bundle: every file with its SHA-256, signed as <c>manifest.json.p7s</c>.</summary>
public sealed record BundleManifest(
    string Format,
    Guid CaseId,
    string Number,
    string DefinitionId,
    int DefinitionVersion,
    string DefinitionHash,
    int EventCount,
    string? ChainHead,
    DateTimeOffset ExportedAt,
    string ExportedBy,
    IReadOnlyList<BundleFile> Files);

/// <summary>One file in the bundle.</summary>
public sealed record BundleFile(string Path, string Sha256, long Size);

/// <summary>
/// Writes a case as a self-contained zip a regulator can check without our database: <c>events.jsonl</c>,
/// <c>definition.json</c> (the exact version the case ran), the evidence files, <c>manifest.json</c> and its signature.
/// </summary>
public sealed class ExportBundle(StoredEvents events, IDocumentStore store, ICaseEvidence files, BankSigner signer, TimeProvider clock,
    CheckpointReader checkpoints, CheckpointWriter anchoring, Privacy.PersonalDataKeys personalData)
{
    /// <summary>Bundles of this format carry <c>anchor.json</c>; those of format 1 (before checkpoints) do not.</summary>
    public const string Format = "virtualbranch-evidence-bundle/2";

    /// <summary>Bundles exported before checkpoints: no anchor.</summary>
    public const string UnanchoredFormat = "virtualbranch-evidence-bundle/1";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<bool> WriteAsync(Guid caseId, string exportedBy, Stream output, CancellationToken cancellation)
    {
        var (before, _) = await events.ReadAsync(caseId, cancellation);
        if (before.Count == 0)
        {
            return false;
        }
        await AnchorAsync(caseId, before.Count, cancellation);
        // Read again after anchoring, so the events and the anchor are of the same moment (unless a command lands in between).
        var (rows, _) = await events.ReadAsync(caseId, cancellation);
        if (rows.Count == 0)
        {
            return false;
        }
        await using var session = store.QuerySession();
        var opened = (CaseOpened)(await session.Events.FetchStreamAsync(caseId, 1, token: cancellation))[0].Data;
        var definition = await session.LoadAsync<StoredDefinition>(StoredDefinition.KeyOf(opened.DefinitionId, opened.DefinitionVersion), cancellation);
        var anchor = await AnchorAsync(caseId, rows.Count, cancellation);
        var entries = new List<(string Path, byte[]? Bytes, string? Sha)>
        {
            ("events.jsonl", Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => JsonSerializer.Serialize(EventRecord.From(r, personalData.Reveal), Json) + "\n"))), null),
            ("definition.json", Encoding.UTF8.GetBytes(definition?.Json ?? "{}"), null),
        };
        if (anchor is not null)
        {
            entries.Add((BundleAnchor.FileName, JsonSerializer.SerializeToUtf8Bytes(BundleAnchor.From(anchor), Indented), null));
        }
        foreach (var file in rows.SelectMany(r => EvidenceFiles.In(r.Utf8Data)).DistinctBy(f => f.Sha256).Where(f => EvidenceHash.IsValid(f.Sha256)))
        {
            // A file that is missing, altered or no longer opens is left out (verify-bundle names it); the rest still goes.
            if (await files.CheckAsync(caseId, file, cancellation) is null)
            {
                entries.Add(($"evidence/{file.Kind}-{file.Sha256}", null, file.Sha256));
            }
        }
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var listed = new List<BundleFile>();
        foreach (var (path, bytes, sha) in entries)
        {
            await using var target = await zip.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(cancellation);
            if (bytes is not null)
            {
                await target.WriteAsync(bytes, cancellation);
                listed.Add(new BundleFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
            }
            else
            {
                await using var source = await files.OpenAsync(caseId, sha!, cancellation) ?? throw new IOException($"The evidence file {sha} went missing during the export.");
                await source.CopyToAsync(target, cancellation);
                listed.Add(new BundleFile(path, sha!, source.Length));
            }
        }
        var manifest = new BundleManifest(Format, caseId, opened.Number, opened.DefinitionId, opened.DefinitionVersion, opened.DefinitionHash,
            rows.Count, rows[^1].Hash, clock.GetUtcNow(), exportedBy, listed);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Indented);
        await WriteEntry(zip, "manifest.json", manifestBytes, cancellation);
        await WriteEntry(zip, "manifest.json.p7s", signer.Sign(manifestBytes), cancellation);
        return true;
    }

    /// <summary>
    /// The checkpoint leaf that anchors the case as exported: a case changed since its last checkpoint is anchored first,
    /// so the bundle proves its whole stream. Null only when the writer refuses (the stream no longer extends its anchor).
    /// </summary>
    private async Task<AnchoredLeaf?> AnchorAsync(Guid caseId, int version, CancellationToken cancellation)
    {
        var leaves = await checkpoints.LatestLeavesAsync([caseId], cancellation);
        if (leaves.TryGetValue(caseId, out var leaf) && leaf.Leaf.Version == version)
        {
            return leaf;
        }
        await anchoring.WriteAsync([caseId], cancellation);
        leaves = await checkpoints.LatestLeavesAsync([caseId], cancellation);
        return leaves.TryGetValue(caseId, out leaf) && leaf.Leaf.Version == version ? leaf : null;
    }

    private static async Task WriteEntry(ZipArchive zip, string path, byte[] bytes, CancellationToken cancellation)
    {
        await using var target = await zip.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(cancellation);
        await target.WriteAsync(bytes, cancellation);
    }
}
