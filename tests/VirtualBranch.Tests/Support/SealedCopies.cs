using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Support;

/// <summary>Where a case's evidence file is kept sealed: the name of its sealed copy in the store, and its path in a Host's evidence folder.</summary>
public static class SealedCopies
{
    public static async Task<string> NameAsync(TestDatabase database, Guid caseId, string sha256) =>
        (await database.ScalarAsync<string>($"select sealed_sha256 from vb.vb_evidence_copies where sha256 = '{EvidenceHash.Require(sha256)}' and case_id = '{caseId}'"))
            .ShouldNotBeNull($"case {caseId} keeps a sealed copy of {sha256}");

    public static async Task<string> PathAsync(HostFixture host, Guid caseId, string sha256)
    {
        var name = await NameAsync(host.Database, caseId, sha256);
        return Path.Combine(host.DataDirectory, "evidence", name[..2], name);
    }
}
