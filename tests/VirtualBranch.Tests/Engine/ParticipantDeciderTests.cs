using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.CaseScenario;

namespace VirtualBranch.Tests.Engine;

/// <summary><see cref="Participants"/>: staff invite a relative or an interpreter, only the invited person opens the link, the room records who came and went.</summary>
public sealed class ParticipantDeciderTests
{
    private const string Relative = "link-relative";
    private static readonly Actor Guest = new($"participant:{Relative}", "participant");
    private static readonly Actor Room = new("video-room", "system");
    private static readonly Actor OtherTeller = new("teller-zhao", "teller");

    private static readonly VirtualBranch.Engine.Definitions.WorkflowDefinition Consent = new FlowBuilder()
        .Activity("rec", "start-recording").Activity("ok", "end").Chain("start", "rec", "ok").Build();

    private static CaseScenario Invited()
    {
        var scenario = new CaseScenario(Consent);
        scenario.Given(scenario.Open(), new InviteParticipant(Relative, "relative", " 李四 ", "sms", "139****9000", T0.AddHours(2), Teller, T0));
        return scenario;
    }

    [Fact]
    public void given_an_invitation_when_the_relative_opens_it_joins_and_leaves_then_each_is_recorded_and_folds_back()
    {
        var scenario = Invited();
        var seat = ParticipantEvents.Seat(Relative);
        scenario.Given(new RecordLinkDelivery(Relative, "sms", "msg-1", new Actor("messenger", "system"), T0),
            new RedeemParticipantLink(Relative, "one-time code via sms", Guest, T0.AddMinutes(1)),
            new RecordPresence(seat, "relative", "李四", Joined: true, Room, T0.AddMinutes(2)));
        scenario.Then(new RecordPresence(seat, "relative", "李四", Joined: true, Room, T0.AddMinutes(3))).ShouldBeEmpty("a rejoin while present records nothing");
        Names(scenario.Then(new RecordPresence(seat, "relative", "李四", Joined: false, Room, T0.AddMinutes(9)))).ShouldBe(["ParticipantLeft"]);

        Names(scenario.History.TakeLast(5)).ShouldBe(["ParticipantInvited", "CustomerLinkDelivered", "ParticipantLinkRedeemed", "ParticipantJoined", "ParticipantLeft"]);
        scenario.History.OfType<ParticipantInvited>().Single().ShouldBe(new ParticipantInvited(Relative, "relative", "李四", "sms", "139****9000", T0.AddHours(2), Teller.Id, T0));
        scenario.State!.Participants[Relative].ShouldBe(new ParticipantState(Relative, "relative", "李四", T0.AddHours(2), Redeemed: true, Removed: false));
        scenario.State.InRoom.ShouldBeEmpty();
        var folded = CaseEvolver.Fold(scenario.History)!;
        (folded.Participants[Relative], folded.InRoom.Count, folded.Version).ShouldBe((scenario.State.Participants[Relative], 0, scenario.State.Version));
    }

    [Fact]
    public void given_an_invitation_when_staff_or_the_customer_try_to_open_it_then_refused_and_nothing_recorded()
    {
        var scenario = Invited();
        scenario.Refused(new RedeemParticipantLink(Relative, "code", Teller, T0), RejectionKind.Forbidden).Title.ShouldBe("Only the invited person");
        scenario.Refused(new RedeemParticipantLink(Relative, "code", Customer, T0), RejectionKind.Forbidden);
        scenario.Refused(new RedeemParticipantLink("link-unknown", "code", Guest, T0), RejectionKind.NotFound);
        scenario.State!.Participants[Relative].Redeemed.ShouldBeFalse();
    }

    [Fact]
    public void given_an_opened_or_expired_or_withdrawn_invitation_when_opened_then_refused()
    {
        var used = Invited();
        used.Given(new RedeemParticipantLink(Relative, "code", Guest, T0));
        used.Refused(new RedeemParticipantLink(Relative, "code", Guest, T0), RejectionKind.Conflict).Title.ShouldBe("Link already used");
        Invited().Refused(new RedeemParticipantLink(Relative, "code", Guest, T0.AddHours(2)), RejectionKind.Conflict).Title.ShouldBe("Link expired");
        var withdrawn = Invited();
        Names(withdrawn.Then(new RemoveParticipant(Relative, "wrong person", Teller, T0))).ShouldBe(["ParticipantRemoved"]);
        withdrawn.Then(new RemoveParticipant(Relative, "again", Teller, T0)).ShouldBeEmpty();
        withdrawn.Refused(new RedeemParticipantLink(Relative, "code", Guest, T0), RejectionKind.Conflict).Title.ShouldBe("Link revoked");
        withdrawn.State!.Participants[Relative].Admitted.ShouldBeFalse();
    }

    [Fact]
    public void given_a_case_locked_to_a_teller_when_others_invite_or_remove_then_refused()
    {
        var scenario = Invited();
        scenario.Given(new AssignCase(Teller.Id, "first-come", Teller, T0));
        scenario.Refused(new InviteParticipant("link-2", "interpreter", "王五", "sms", "137****7000", T0.AddHours(2), OtherTeller, T0), RejectionKind.Forbidden).Title.ShouldBe("Case locked");
        scenario.Refused(new InviteParticipant("link-2", "interpreter", "王五", "sms", "137****7000", T0.AddHours(2), Customer, T0), RejectionKind.Forbidden);
        scenario.Refused(new InviteParticipant("link-2", "interpreter", "王五", "sms", "137****7000", T0.AddHours(2), Guest, T0), RejectionKind.Forbidden);
        scenario.Refused(new RemoveParticipant(Relative, "no", OtherTeller, T0), RejectionKind.Forbidden).Title.ShouldBe("Case locked");
        scenario.Refused(new RemoveParticipant(Relative, " ", Teller, T0), RejectionKind.Invalid).Errors.Single().Path.ShouldBe("/reason");
        scenario.Refused(new RemoveParticipant("link-unknown", "gone", Teller, T0), RejectionKind.NotFound);
    }

    [Fact]
    public void given_an_invitation_without_a_name_when_sent_then_refused_with_the_field()
    {
        var scenario = new CaseScenario(Consent);
        scenario.Given(scenario.Open());
        var refused = scenario.Refused(new InviteParticipant("link-2", "", " ", "sms", "137****7000", T0.AddHours(2), Teller, T0), RejectionKind.Invalid);
        refused.Errors.Select(e => e.Path).ShouldBe(["/role", "/name"]);
        scenario.Refused(new InviteParticipant("link-2", "relative", "李\u0000四", "sms", "137****7000", T0.AddHours(2), Teller, T0), RejectionKind.Invalid)
            .Errors.Single().Path.ShouldBe("/name", "a name that would not be kept exactly is refused before it reaches the chain");
    }

    [Fact]
    public void given_anyone_but_the_video_room_when_recording_presence_then_refused_and_after_closing_nothing_is_recorded()
    {
        var scenario = Invited();
        scenario.Refused(new RecordPresence("participant:x", "relative", "x", true, Teller, T0), RejectionKind.Forbidden);
        scenario.Given(new CancelCase("customer withdrew", Teller, T0));
        scenario.Then(new RecordPresence(ParticipantEvents.Seat(Relative), "relative", "李四", Joined: false, Room, T0)).ShouldBeEmpty();
    }
}
