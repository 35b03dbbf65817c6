using System.Text;
using Shouldly;
using VirtualBranch.Engine.Integrity;

namespace VirtualBranch.Tests.Evidence;

/// <summary>Format 2 links bind their case; streams chained in format 1 keep verifying exactly as before.</summary>
public sealed class ChainFormatTests
{
    private static readonly Guid CaseA = Guid.Parse("0193a1b2-0000-7000-8000-00000000000a");
    private static readonly Guid CaseB = Guid.Parse("0193a1b2-0000-7000-8000-00000000000b");

    /// <summary>A small stream as the store keeps it, chained for <paramref name="caseId"/> in the given formats (null: format 1).</summary>
    private static List<ChainedRow> Stream(Guid caseId, params string?[] formats)
    {
        var rows = new List<ChainedRow>();
        var previous = HashChain.Genesis;
        for (var i = 0; i < formats.Length; i++)
        {
            var (type, json) = i == 0 ? ("case_opened", $"{{\"CaseId\":\"{caseId}\",\"Number\":\"SR-1\"}}") : ("note_recorded", $"{{\"Message\":\"note {i}\"}}");
            var version = i + 1L;
            const string at = "2026-12-03T08:00:00.0000000Z";
            var hash = HashChain.LinkData(formats[i] is null ? null : caseId, previous, version, type, json, at, HashChain.Actor("teller", "teller"));
            rows.Add(new ChainedRow(version, version, type, Encoding.UTF8.GetBytes(json), DateTimeOffset.UnixEpoch, "teller", "teller", at, hash, previous,
                null, null, formats[i]));
            previous = hash;
        }
        return rows;
    }

    [Fact]
    public void given_a_stream_chained_in_format_1_when_verified_then_intact()
    {
        var rows = Stream(CaseA, null, null, null);
        ChainVerifier.Verify(CaseA, rows, 3).Intact.ShouldBeTrue();
    }

    [Fact]
    public void given_a_stream_that_moves_from_format_1_to_2_when_verified_then_intact()
    {
        ChainVerifier.Verify(CaseA, Stream(CaseA, null, "2", "2"), 3).ShouldBe(VerificationResult.Ok(3, 0));
    }

    [Fact]
    public void given_format_2_links_of_one_case_when_verified_as_another_case_then_broken_at_the_first_bound_link()
    {
        var rows = Stream(CaseB, "2", "2", "2");
        // An insider who also rewrites the opening event's case id still meets the hash: the link names the case.
        rows[0] = rows[0] with { Utf8Data = Encoding.UTF8.GetBytes($"{{\"CaseId\":\"{CaseA}\",\"Number\":\"SR-1\"}}") };
        var result = ChainVerifier.Verify(CaseA, rows, 3);
        result.Intact.ShouldBeFalse();
        result.FirstBrokenVersion.ShouldBe(1);
        result.Problem!.ShouldStartWith("changed data");
    }

    [Fact]
    public void given_events_copied_from_another_case_when_verified_then_the_transplant_is_named()
    {
        var result = ChainVerifier.Verify(CaseA, Stream(CaseB, null, null), 2);
        result.Intact.ShouldBeFalse();
        result.FirstBrokenVersion.ShouldBe(1);
        result.Problem.ShouldBe($"transplanted events: version 1 opens case {CaseB}, not this case {CaseA}");
    }

    [Fact]
    public void given_a_format_1_link_after_a_format_2_link_when_verified_then_downgrade_reported()
    {
        var result = ChainVerifier.Verify(CaseA, Stream(CaseA, "2", "2", null), 3);
        result.Intact.ShouldBeFalse();
        result.FirstBrokenVersion.ShouldBe(3);
        result.Problem!.ShouldStartWith("chain format downgraded");
    }

    [Fact]
    public void given_an_unknown_format_when_verified_then_reported()
    {
        var result = ChainVerifier.Verify(CaseA, Stream(CaseA, "2", "9"), 2);
        result.Problem.ShouldBe("unknown chain format '9' at version 2");
    }

    [Fact]
    public void the_two_formats_give_different_links_for_the_same_event()
    {
        var v1 = HashChain.LinkData(null, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b");
        HashChain.LinkData(CaseA, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b").ShouldNotBe(v1);
        HashChain.LinkData(CaseB, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b").ShouldNotBe(HashChain.LinkData(CaseA, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b"));
        v1.ShouldBe(HashChain.Link(HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b"));
    }

    [Fact]
    public void both_formats_hash_the_documented_preimage()
    {
        // Computed outside .NET from the documented layout (parts joined by U+001F), so a reader can check a chain by hand.
        HashChain.LinkData(null, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b").ShouldBe("c9e4a5fb17f6c6d476efde7a238ca1466d13f5ca34f2d85b8ae6af44a8f19f1b");
        HashChain.LinkData(CaseA, HashChain.Genesis, 1, "case_opened", "{}", "t", "a/b").ShouldBe("c3671165e17a174de5263753660924d08380c3df7e7b3570a3bef48c1d973501");
    }
}
