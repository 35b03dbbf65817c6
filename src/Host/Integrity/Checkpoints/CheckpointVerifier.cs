using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity.Timestamps;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>How a case stands against the checkpoints: the anchor that covers it, or why it fails.</summary>
public sealed record AnchorCheck(bool Holds, string Description, long? FirstBrokenVersion = null);

/// <summary>
/// Checks checkpoints as a reader outside the bank would: the statement's hash, the bank's signature with a pinned key
/// valid at the checkpoint's time, the timestamp token with a pinned authority, and a case's leaf against the signed root
/// through its inclusion proof (log₂ n hashes), then the stored stream against the head the leaf names.
/// </summary>
public sealed class CheckpointVerifier(TrustStore bank, TimestampTrust? authorities)
{
    /// <summary>How long after a case's last event the next scheduled checkpoint must name it.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _checked = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when the checkpoint itself holds; otherwise what is wrong with it. A checkpoint is checked once per content:
    /// verifying every case reads the same few checkpoints again and again.
    /// </summary>
    public string? Problem(SignedCheckpoint signed)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            [.. signed.Checkpoint.Statement(), .. System.Text.Encoding.UTF8.GetBytes(signed.Hash), .. signed.Signature, .. signed.TimestampToken ?? []]));
        if (_checked.TryGetValue(key, out var known))
        {
            return known;
        }
        if (_checked.Count > 100_000)
        {
            _checked.Clear();
        }
        return _checked[key] = Check(signed);
    }

    private string? Check(SignedCheckpoint signed)
    {
        var checkpoint = signed.Checkpoint;
        var statement = checkpoint.Statement();
        if (checkpoint.Hash() != signed.Hash)
        {
            return $"{checkpoint}: its fields hash to {checkpoint.Hash()}, not the stored {signed.Hash} (edited)";
        }
        var signature = bank.Check(statement, signed.Signature, checkpoint.CreatedAt);
        if (!signature.Valid)
        {
            return $"{checkpoint}: {signature.Detail}";
        }
        if (signed.TimestampToken is null || authorities is null)
        {
            return null; // no token (the authority was unreachable), or no authority pinned (a bundle checked with --trust alone)
        }
        var stamp = authorities.Verify(signed.TimestampToken, statement);
        if (!stamp.Valid)
        {
            return $"{checkpoint}: timestamp token {stamp.Detail}";
        }
        return stamp.Time is { } time && (time - checkpoint.CreatedAt).Duration() > Settle
            ? $"{checkpoint}: claims {HashChain.Time(checkpoint.CreatedAt)} but the timestamp authority stamped it at {HashChain.Time(time)}"
            : null;
    }

    /// <summary>A case's stored rows against its latest leaf and the latest scheduled checkpoint.</summary>
    public AnchorCheck Check(IReadOnlyList<ChainedRow> rows, AnchoredLeaf? anchored, SignedCheckpoint? latestScheduled)
    {
        if (anchored is null)
        {
            // Every scheduled checkpoint names each case changed before it: a case it should name and does not was hidden.
            return latestScheduled is { } latest && rows.Count > 0 && rows[^1].Timestamp < latest.Checkpoint.CreatedAt - Settle
                ? new(false, $"not anchored: {latest.Checkpoint} came after version {rows[^1].Version} and names no checkpoint of this case", rows[^1].Version)
                : new(true, "not anchored yet: no checkpoint has been written since the case's last event");
        }
        var (signed, position, leaf, proof) = anchored;
        var checkpoint = signed.Checkpoint;
        if (Problem(signed) is { } problem)
        {
            return new(false, problem, leaf.Version);
        }
        var root = MerkleTree.RootFromProof(leaf.Hash(), position, checkpoint.TreeSize, proof);
        if (root is null || Convert.ToHexStringLower(root) != checkpoint.Root)
        {
            return new(false, $"{checkpoint}: the case's leaf (version {leaf.Version}, head {leaf.Head}) is not in the tree it signed", leaf.Version);
        }
        if (rows.Count < leaf.Version)
        {
            return new(false, $"truncated: stream head at version {rows.Count}, {checkpoint} signed version {leaf.Version}", rows.Count + 1L);
        }
        var row = rows[(int)leaf.Version - 1];
        if (row.Hash != leaf.Head)
        {
            return new(false, $"rewritten: the event at version {leaf.Version} hashes to {row.Hash}, {checkpoint} signed head {leaf.Head}", leaf.Version);
        }
        var time = signed.TimestampToken is null ? "not time-stamped" : authorities is null ? "time-stamped, token not checked: no authority pinned" : "time-stamped";
        return new(true, $"anchored by {checkpoint} at version {leaf.Version} (signed by the bank, {time})");
    }
}
