using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>A checkpoint as stored: its statement's fields, the bank's signature over the statement and the authority's token.</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, string Hash, byte[] Signature, string Signer, byte[]? TimestampToken, string Kind)
{
    /// <summary>Written by the schedule over every case changed since the checkpoint before.</summary>
    public const string Scheduled = "schedule";

    /// <summary>Written as cases are sealed, over those cases.</summary>
    public const string AtSeal = "seal";
}

/// <summary>A case's leaf in a checkpoint, with the inclusion proof that leads from it to the checkpoint's root.</summary>
public sealed record AnchoredLeaf(SignedCheckpoint Checkpoint, int Position, CheckpointLeaf Leaf, byte[] Proof);
