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
    /// <summary>
    /// How long after an event was recorded a scheduled checkpoint must name its case at that version or later: generous,
    /// so that a Host whose clock runs a little behind the database's is not taken for an insider.
    /// </summary>
    public static readonly TimeSpan AnchorDeadline = TimeSpan.FromMinutes(5);

    /// <summary>How far the time a checkpoint claims may be from the time its authority stamped.</summary>
    public static readonly TimeSpan StampTolerance = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _checked = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when the checkpoint itself holds; otherwise what is wrong with it. A checkpoint is checked once per content:
    /// verifying every case reads the same few checkpoints again and again.
    /// </summary>
    public string? Problem(SignedCheckpoint signed)
    {
        // The same instance comes with every leaf of a batch (the reader loads each checkpoint once): no need to hash it again.
        if (_byInstance.TryGetValue(signed, out var seen))
        {
            return seen.Problem;
        }
        var problem = ProblemOf(signed);
        _byInstance.AddOrUpdate(signed, new Checked(problem));
        return problem;
    }

    private sealed record Checked(string? Problem);

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SignedCheckpoint, Checked> _byInstance = [];

    private string? ProblemOf(SignedCheckpoint signed)
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
        return stamp.Time is { } time && (time - checkpoint.CreatedAt).Duration() > StampTolerance
            ? $"{checkpoint}: claims {HashChain.Time(checkpoint.CreatedAt)} but the timestamp authority stamped it at {HashChain.Time(time)}"
            : null;
    }

    /// <summary>A case's stored rows against its latest leaf and the latest scheduled checkpoint.</summary>
    public AnchorCheck Check(IReadOnlyList<ChainedRow> rows, AnchoredLeaf? anchored, SignedCheckpoint? latestScheduled)
    {
        if (anchored is null)
        {
            return Unanchored(rows, 0, latestScheduled) ?? new(true, "not anchored yet: no checkpoint has been written since the case's events were recorded");
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
        if (rows.Count == 0)
        {
            return new(false, $"deleted: {checkpoint} signed version {leaf.Version} of this case, and its stream is gone", 1);
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
        if (Unanchored(rows, leaf.Version, latestScheduled) is { } late)
        {
            return late;
        }
        var time = signed.TimestampToken is null ? "not time-stamped" : authorities is null ? "time-stamped, token not checked: no authority pinned" : "time-stamped";
        return new(true, $"anchored by {checkpoint} at version {leaf.Version} (signed by the bank, {time})");
    }

    /// <summary>
    /// An event after the anchored version that was recorded well before the latest scheduled checkpoint: that checkpoint
    /// should have named the case at its version, so the event was put there afterwards, or the case was kept from the writer.
    /// </summary>
    private static AnchorCheck? Unanchored(IReadOnlyList<ChainedRow> rows, long anchoredVersion, SignedCheckpoint? latestScheduled)
    {
        if (latestScheduled is null)
        {
            return null;
        }
        var cutoff = latestScheduled.Checkpoint.CreatedAt - AnchorDeadline;
        var late = rows.Skip((int)Math.Min(anchoredVersion, rows.Count)).FirstOrDefault(r =>
            DateTimeOffset.TryParse(r.RecordedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at)
            && at < cutoff);
        return late is null ? null : new(false,
            $"not anchored: version {late.Version} was recorded at {late.RecordedAt}, and {latestScheduled.Checkpoint} (written after it) does not name the case at that version",
            late.Version);
    }
}
