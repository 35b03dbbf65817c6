using System.Text;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// A scheduled checkpoint names every case changed well before it: events recorded before the latest one and not named
/// by it (a case kept from the writer, or events slipped in afterwards with old times) are reported.
/// </summary>
public sealed class AnchorRuleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static List<ChainedRow> Rows(params DateTimeOffset[] recorded) => [.. recorded.Select((at, i) =>
        new ChainedRow(i + 1, i + 1, "note_recorded", Encoding.UTF8.GetBytes("{}"), at, "teller", "teller", HashChain.Time(at), $"h{i + 1}", $"h{i}", null, null, "2"))];

    private static SignedCheckpoint Scheduled(DateTimeOffset at) =>
        new(new Checkpoint(7, at, HashChain.Genesis, 0, ""), "", [], "", null, SignedCheckpoint.Scheduled);

    private static readonly CheckpointVerifier Verifier = new(TrustStore.Of([]), null);

    [Fact]
    public void given_no_scheduled_checkpoint_yet_when_a_case_is_checked_then_it_is_not_anchored_yet_and_holds()
    {
        var check = Verifier.Check(Rows(Noon), null, null);
        check.Holds.ShouldBeTrue();
        check.Description.ShouldStartWith("not anchored yet");
    }

    [Fact]
    public void given_events_recorded_long_before_the_latest_scheduled_checkpoint_when_no_checkpoint_names_the_case_then_not_anchored_at_the_first()
    {
        var check = Verifier.Check(Rows(Noon, Noon.AddMinutes(1)), null, Scheduled(Noon.AddMinutes(20)));
        check.Holds.ShouldBeFalse();
        check.FirstBrokenVersion.ShouldBe(1);
        check.Description.ShouldStartWith("not anchored: version 1 was recorded at 2026-12-03T12:00:00.0000000Z, and checkpoint 7 of ");
    }

    [Fact]
    public void given_events_recorded_just_before_the_latest_scheduled_checkpoint_when_checked_then_they_may_still_wait_for_the_next()
    {
        Verifier.Check(Rows(Noon), null, Scheduled(Noon.AddMinutes(2))).Holds.ShouldBeTrue();
    }

    [Fact]
    public void given_an_event_whose_database_time_was_moved_when_checked_then_the_chained_time_counts()
    {
        var rows = Rows(Noon);
        rows[0] = rows[0] with { Timestamp = Noon.AddHours(1) }; // mt_events.timestamp is not in the chain
        Verifier.Check(rows, null, Scheduled(Noon.AddMinutes(20))).Holds.ShouldBeFalse();
    }
}
