using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;
using VirtualBranch.Host.Integrity.Timestamps;

namespace VirtualBranch.Host.Evidence;

/// <summary>What checking a bundle found: each check in order, and whether all passed.</summary>
public sealed record BundleReport(bool Intact, IReadOnlyList<string> Checks, string? Problem);

/// <summary>
/// Checks an exported bundle with nothing but the zip and the keys the reader trusts: the manifest's signature (by a
/// pinned key only), every file's hash, the hash chain, the seals, the definition, and the checkpoint anchor of the
/// whole stream (its signature, its token when an authority is pinned, the leaf's inclusion proof).
/// </summary>
public static class BundleVerifier
{
    /// <param name="authorities">The timestamp authorities the reader pins; without them the anchor's token is not checked (and the report says so).</param>
    /// <param name="allowUnanchored">Accept a bundle of format 1 (exported before checkpoints), which carries no anchor.</param>
    public static BundleReport Verify(Stream zipStream, TrustStore trust, TimestampTrust? authorities = null, bool allowUnanchored = false)
    {
        var checks = new List<string>();
        try
        {
            using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
            var content = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, Read, StringComparer.Ordinal);
            if (!content.TryGetValue("manifest.json", out var manifestBytes) || !content.TryGetValue("manifest.json.p7s", out var signature))
            {
                return Fail(checks, "manifest.json or its signature manifest.json.p7s is missing");
            }
            var manifest = JsonSerializer.Deserialize<BundleManifest>(manifestBytes, ExportBundle.Json)!;
            var signed = trust.Check(manifestBytes, signature, manifest.ExportedAt);
            if (!signed.Valid)
            {
                return Fail(checks, $"manifest signature: {signed.Detail}");
            }
            checks.Add($"manifest {signed.Detail}, exported {manifest.ExportedAt:O} by {manifest.ExportedBy}");
            foreach (var file in manifest.Files)
            {
                if (!content.TryGetValue(file.Path, out var bytes))
                {
                    return Fail(checks, $"{file.Path}: listed in the manifest but not in the bundle");
                }
                var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (sha != file.Sha256 || bytes.LongLength != file.Size)
                {
                    return Fail(checks, $"{file.Path}: SHA-256 is {sha}, the manifest says {file.Sha256} (the file was changed)");
                }
            }
            var unlisted = content.Keys.Except(manifest.Files.Select(f => f.Path).Append("manifest.json").Append("manifest.json.p7s")).ToList();
            if (unlisted.Count > 0)
            {
                return Fail(checks, $"files not in the manifest: {string.Join(", ", unlisted)}");
            }
            checks.Add($"{manifest.Files.Count} files match their SHA-256");
            var rows = Encoding.UTF8.GetString(content["events.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize<EventRecord>(line, ExportBundle.Json)!.ToRow()).ToList();
            var chain = ChainVerifier.Verify(manifest.CaseId, rows, manifest.EventCount);
            if (!chain.Intact)
            {
                return Fail(checks, $"hash chain broken at version {chain.FirstBrokenVersion}: {chain.Problem}");
            }
            if (rows.Count > 0 && rows[^1].Hash != manifest.ChainHead)
            {
                return Fail(checks, "the last event's hash is not the chain head the manifest names");
            }
            checks.Add($"hash chain of {chain.EventsChecked} events intact, head {manifest.ChainHead}");
            if (SealVerifier.Check(rows, trust) is var (sealVersion, sealProblem))
            {
                return Fail(checks, $"version {sealVersion}: {sealProblem}");
            }
            var definitionHash = Convert.ToHexStringLower(SHA256.HashData(content["definition.json"]));
            if (definitionHash != manifest.DefinitionHash)
            {
                return Fail(checks, $"definition.json hashes to {definitionHash}, the case ran on {manifest.DefinitionHash}");
            }
            checks.Add($"definition {manifest.DefinitionId} v{manifest.DefinitionVersion} is the exact version the case ran");
            if (manifest.Format == ExportBundle.UnanchoredFormat)
            {
                if (!allowUnanchored)
                {
                    return Fail(checks, "the bundle is of format 1, which carries no checkpoint anchor (exported before checkpoints); " +
                        "accept it only knowingly, with --allow-unanchored");
                }
                checks.Add("format 1: no checkpoint anchor (accepted with --allow-unanchored)");
                return new BundleReport(true, checks, null);
            }
            if (!content.TryGetValue(BundleAnchor.FileName, out var anchorBytes))
            {
                return Fail(checks, $"{BundleAnchor.FileName} is missing: no checkpoint vouches for the case's stream");
            }
            var anchored = JsonSerializer.Deserialize<BundleAnchor>(anchorBytes, ExportBundle.Json)!.ToLeaf(manifest.CaseId);
            if (anchored.Leaf.Version != rows.Count)
            {
                return Fail(checks, $"anchor: checkpoint {anchored.Checkpoint.Checkpoint.Number} anchors version {anchored.Leaf.Version}, the bundle holds {rows.Count} events");
            }
            if (authorities is not null && anchored.Checkpoint.TimestampToken is null)
            {
                return Fail(checks, $"anchor: checkpoint {anchored.Checkpoint.Checkpoint.Number} carries no timestamp token, and --tsa asks for one");
            }
            var anchor = new CheckpointVerifier(trust, authorities).Check(rows, anchored, null);
            if (!anchor.Holds)
            {
                return Fail(checks, $"anchor: {anchor.Description}");
            }
            checks.Add($"{anchor.Description}; compare checkpoint {anchored.Checkpoint.Checkpoint.Number}:{anchored.Checkpoint.Hash} with the bank's log");
            return new BundleReport(true, checks, null);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or KeyNotFoundException or NotSupportedException)
        {
            return Fail(checks, $"not a readable evidence bundle: {ex.Message}");
        }
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static BundleReport Fail(List<string> checks, string problem) => new(false, checks, problem);
}
