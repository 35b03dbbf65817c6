using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// <c>anchor.json</c> of a bundle: the checkpoint that anchors the case (its signed statement's fields, the bank's
/// signature, the timestamp token) and the case's leaf with its inclusion proof, so a reader checks the anchor offline.
/// </summary>
public sealed record BundleAnchor(
    long Number,
    DateTimeOffset CreatedAt,
    string PreviousHash,
    int TreeSize,
    string Root,
    string Hash,
    string Signature,
    string Signer,
    string? TimestampToken,
    string Kind,
    int Position,
    long Version,
    string Head,
    string Proof)
{
    public const string FileName = "anchor.json";

    public static BundleAnchor From(AnchoredLeaf anchored)
    {
        var (signed, position, leaf, proof) = anchored;
        var c = signed.Checkpoint;
        return new(c.Number, c.CreatedAt, c.PreviousHash, c.TreeSize, c.Root, signed.Hash, Convert.ToBase64String(signed.Signature), signed.Signer,
            signed.TimestampToken is null ? null : Convert.ToBase64String(signed.TimestampToken), signed.Kind, position, leaf.Version, leaf.Head,
            Convert.ToBase64String(proof));
    }

    /// <summary>The anchor as the verifier reads it, for the case the bundle is of (the leaf names the case through the proof).</summary>
    public AnchoredLeaf ToLeaf(Guid caseId) => new(
        new SignedCheckpoint(new Checkpoint(Number, CreatedAt, PreviousHash, TreeSize, Root), Hash, Convert.FromBase64String(Signature), Signer,
            TimestampToken is null ? null : Convert.FromBase64String(TimestampToken), Kind),
        Position, new CheckpointLeaf(caseId, Version, Head), Convert.FromBase64String(Proof));
}
