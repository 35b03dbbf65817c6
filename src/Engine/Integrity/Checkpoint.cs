using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VirtualBranch.Engine.Integrity;

/// <summary>One case's chain head as a checkpoint anchors it: the leaf <c>case id ‖ version ‖ head hash</c>.</summary>
public sealed record CheckpointLeaf(Guid CaseId, long Version, string Head)
{
    public byte[] Hash() => MerkleTree.LeafHash(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CaseId:D}\u001F{Version}\u001F{Head}")));
}

/// <summary>
/// A signed anchor outside the case streams: the Merkle root over the chain heads of the cases it covers, linked to the
/// checkpoint before it. Its <see cref="Statement"/> is what the bank signs and the timestamp authority stamps;
/// <see cref="Hash"/> is what the next checkpoint links to and what a reader keeps to ask later for the chain since.
/// </summary>
public sealed record Checkpoint(long Number, DateTimeOffset CreatedAt, string PreviousHash, int TreeSize, string Root)
{
    public const string Format = "virtualbranch-checkpoint/1";

    public byte[] Statement() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{Format}\nnumber: {Number}\ncreated: {HashChain.Time(CreatedAt)}\nprevious: {PreviousHash}\nsize: {TreeSize}\nroot: {Root}\n"));

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Statement()));

    /// <summary>How the checkpoint is named in reports: "checkpoint 4812 of 2026-12-02T10:01Z".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"checkpoint {Number} of {CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z");
}
