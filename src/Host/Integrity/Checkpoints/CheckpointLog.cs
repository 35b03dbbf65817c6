using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>
/// What checking the checkpoints in order found. <see cref="Unstamped"/> lists the checkpoints that carry no timestamp
/// token (written while the authority could not be reached): signed by the bank, but their time is the bank's word alone.
/// </summary>
public sealed record CheckpointLogReport(bool Intact, int Checked, long? LatestNumber, string? LatestHash, string? Problem, IReadOnlyList<long> Unstamped);

/// <summary>
/// Checks the checkpoints as one log: numbered without gaps, each linked to the hash of the one before, each signed by a
/// pinned key and stamped, and each root recomputed from its stored leaves. A reader who kept a checkpoint's number and
/// hash passes them as <c>known</c>: the log since must still begin with exactly that checkpoint, so even a rewrite of
/// the whole table (re-signed with the bank's key) is caught by anyone who looked before.
/// </summary>
public sealed class CheckpointLog(CheckpointReader reader, CheckpointVerifier verifier)
{
    public async Task<CheckpointLogReport> VerifyAsync((long Number, string Hash)? known, CancellationToken cancellation)
    {
        var expected = known?.Number ?? 1;
        var previous = (Number: expected - 1, Hash: (string?)null);
        var count = 0;
        var unstamped = new List<long>();
        DateTimeOffset? lastTime = null;
        CheckpointLogReport Broken(string problem) => new(false, count, previous.Hash is null ? null : previous.Number, previous.Hash, problem, unstamped);
        await foreach (var (signed, leaves) in reader.FromAsync(expected, cancellation))
        {
            var checkpoint = signed.Checkpoint;
            if (checkpoint.Number != expected)
            {
                return Broken($"checkpoint {expected} is missing: the next stored is {checkpoint}");
            }
            if (known is { } kept && checkpoint.Number == kept.Number && signed.Hash != kept.Hash)
            {
                return Broken($"{checkpoint} is not the checkpoint you kept: its hash is {signed.Hash}, you kept {kept.Hash} (the log was rewritten)");
            }
            if (previous.Hash is { } link && checkpoint.PreviousHash != link)
            {
                return Broken($"{checkpoint} does not link to checkpoint {previous.Number}: it names {checkpoint.PreviousHash}, that one hashes to {link}");
            }
            if (previous.Hash is null && checkpoint.Number == 1 && checkpoint.PreviousHash != HashChain.Genesis)
            {
                return Broken($"{checkpoint} is the first but links to {checkpoint.PreviousHash}");
            }
            if (verifier.Problem(signed) is { } problem)
            {
                return Broken(problem);
            }
            if (lastTime is { } last && checkpoint.CreatedAt < last)
            {
                return Broken($"{checkpoint} claims a time before checkpoint {previous.Number}'s {HashChain.Time(last)}");
            }
            if (signed.TimestampToken is null)
            {
                unstamped.Add(checkpoint.Number);
            }
            if (leaves.Count != checkpoint.TreeSize || leaves.Select((l, i) => l.Position != i).Any(wrong => wrong))
            {
                return Broken($"{checkpoint} signed {checkpoint.TreeSize} leaves, {leaves.Count} are stored in order (leaves removed or added)");
            }
            var root = MerkleTree.Root([.. leaves.Select(l => l.Leaf.Hash())]);
            if (Convert.ToHexStringLower(root) != checkpoint.Root)
            {
                return Broken($"{checkpoint}: its stored leaves give root {Convert.ToHexStringLower(root)}, it signed {checkpoint.Root} (leaves edited)");
            }
            previous = (checkpoint.Number, signed.Hash);
            lastTime = checkpoint.CreatedAt;
            expected++;
            count++;
        }
        if (known is { } first && count == 0)
        {
            return Broken($"checkpoint {first.Number}, which you kept, is no longer stored (the log was truncated or rewritten)");
        }
        return new(true, count, previous.Hash is null ? null : previous.Number, previous.Hash, null, unstamped);
    }
}
