using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Engine;

/// <summary>The checkpoint tree against Certificate Transparency's published RFC 6962 roots, and its proofs for every size up to 65.</summary>
public sealed class MerkleTreeTests
{
    // The leaves and roots of the RFC 6962 test vectors used by Certificate Transparency's implementations.
    private static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [.. Enumerable.Range(0x50, 8).Select(b => (byte)b)], [.. Enumerable.Range(0x60, 16).Select(b => (byte)b)],
    ];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void the_roots_are_rfc_6962s_for_every_size_of_the_published_vectors()
    {
        Convert.ToHexStringLower(MerkleTree.Root([])).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (var size = 1; size <= Leaves.Length; size++)
        {
            var hashes = Leaves.Take(size).Select(l => MerkleTree.LeafHash(l)).ToList();
            Convert.ToHexStringLower(MerkleTree.Root(hashes)).ShouldBe(Roots[size - 1], $"size {size}");
            Convert.ToHexStringLower(MerkleTree.Build(hashes).Root).ShouldBe(Roots[size - 1], $"size {size}");
        }
    }

    [Fact]
    public void every_leafs_proof_leads_to_the_root_and_nothing_else_does_for_sizes_1_to_65()
    {
        for (var size = 1; size <= 65; size++)
        {
            var hashes = Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList();
            var (root, proofs) = MerkleTree.Build(hashes);
            for (var i = 0; i < size; i++)
            {
                MerkleTree.RootFromProof(hashes[i], i, size, proofs[i]).ShouldBe(root, $"leaf {i} of {size}");
                if (size > 1)
                {
                    MerkleTree.RootFromProof(hashes[(i + 1) % size], i, size, proofs[i]).ShouldNotBe(root, $"another leaf at {i} of {size}");
                    MerkleTree.RootFromProof(hashes[i], (i + 1) % size, size, proofs[i]).ShouldNotBe(root, $"leaf {i} of {size} at another place");
                    var tampered = proofs[i].ToArray();
                    tampered[0] ^= 1;
                    MerkleTree.RootFromProof(hashes[i], i, size, tampered).ShouldNotBe(root);
                }
            }
            MerkleTree.RootFromProof(hashes[0], size, size, proofs[0]).ShouldBeNull("an index past the tree");
            MerkleTree.RootFromProof(hashes[0], 0, size, [.. proofs[0], .. new byte[32]]).ShouldBeNull("a proof longer than the path");
        }
    }
}
