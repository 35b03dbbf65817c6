using System.Security.Cryptography;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// A Merkle tree as Certificate Transparency builds it (RFC 6962 §2.1): leaves hashed as <c>SHA-256(0x00 ‖ leaf)</c>,
/// nodes as <c>SHA-256(0x01 ‖ left ‖ right)</c>, and a level with an odd count carries its last node up unchanged, which
/// gives the same root as RFC 6962's split at the largest power of two. An inclusion proof is the siblings met on the
/// way from a leaf to the root, bottom up: a case's check reads log₂ n hashes, not the tree.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var input = new byte[leaf.Length + 1];
        leaf.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * HashSize];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The root over the leaf hashes alone (to check stored leaves against a signed root).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        if (leafHashes.Count == 0)
        {
            return SHA256.HashData([]);
        }
        var level = leafHashes.ToList();
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
            {
                next.Add(i + 1 == level.Count ? level[i] : NodeHash(level[i], level[i + 1]));
            }
            level = next;
        }
        return level[0];
    }

    /// <summary>The root over the leaf hashes, and each leaf's inclusion proof (siblings bottom up, concatenated).</summary>
    public static (byte[] Root, byte[][] Proofs) Build(IReadOnlyList<byte[]> leafHashes)
    {
        if (leafHashes.Count == 0)
        {
            return (SHA256.HashData([]), []); // RFC 6962: the hash of an empty tree is the hash of the empty string
        }
        var proofs = leafHashes.Select(_ => new List<byte>()).ToArray();
        // Which leaves sit under each node of the current level, so every one of them gets the node's sibling.
        var level = leafHashes.ToList();
        var under = Enumerable.Range(0, level.Count).Select(i => new List<int> { i }).ToList();
        while (level.Count > 1)
        {
            var next = new List<byte[]>((level.Count + 1) / 2);
            var nextUnder = new List<List<int>>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
            {
                if (i + 1 == level.Count)
                {
                    next.Add(level[i]);
                    nextUnder.Add(under[i]);
                    continue;
                }
                foreach (var leaf in under[i])
                {
                    proofs[leaf].AddRange(level[i + 1]);
                }
                foreach (var leaf in under[i + 1])
                {
                    proofs[leaf].AddRange(level[i]);
                }
                next.Add(NodeHash(level[i], level[i + 1]));
                under[i].AddRange(under[i + 1]);
                nextUnder.Add(under[i]);
            }
            (level, under) = (next, nextUnder);
        }
        return (level[0], [.. proofs.Select(p => p.ToArray())]);
    }

    /// <summary>The root a leaf's inclusion proof leads to, or null when the proof does not fit a tree of that size.</summary>
    public static byte[]? RootFromProof(ReadOnlySpan<byte> leafHash, long index, long treeSize, ReadOnlySpan<byte> proof)
    {
        if (index < 0 || index >= treeSize || proof.Length % HashSize != 0)
        {
            return null;
        }
        var node = leafHash.ToArray();
        var used = 0;
        for (var size = treeSize; size > 1; size = (size + 1) / 2, index /= 2)
        {
            if (index % 2 == 1 || index + 1 < size)
            {
                if (used + HashSize > proof.Length)
                {
                    return null;
                }
                var sibling = proof.Slice(used, HashSize);
                node = index % 2 == 1 ? NodeHash(sibling, node) : NodeHash(node, sibling);
                used += HashSize;
            }
        }
        return used == proof.Length ? node : null;
    }
}
