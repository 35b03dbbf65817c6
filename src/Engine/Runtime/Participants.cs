using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// Decisions on the other people in a video session (a relative, an interpreter): staff invite and remove them, each opens
/// a single-use link of their own, and the video room records when they join and leave. They act on nothing in the case.
/// </summary>
public static class Participants
{
    public static Decision Invite(CaseState state, InviteParticipant invite)
    {
        if (invite.Actor.Role is Roles.Customer or Roles.Participant)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Staff invite participants", "Only the bank's staff invite someone into the case.");
        }
        if (CaseAccessRule.Refusal(state, invite.Actor) is { } refused)
        {
            return refused;
        }
        FieldError[] missing =
        [
            .. string.IsNullOrWhiteSpace(invite.Role) ? [new FieldError("/role", "Required: who they are in the session.")] : Array.Empty<FieldError>(),
            .. string.IsNullOrWhiteSpace(invite.Name) ? [new FieldError("/name", "Required: their name, as the recording's evidence lists it.")] : Array.Empty<FieldError>(),
        ];
        return missing.Length > 0
            ? Decision.Reject(RejectionKind.Invalid, "Who is invited?", "Say who the person is and their name.", missing)
            : Decision.Accept(state, [new ParticipantInvited(invite.LinkId, invite.Role.Trim(), invite.Name.Trim(), invite.Channel, invite.To, invite.ExpiresAt, invite.Actor.Id, invite.Now)]);
    }

    public static Decision Redeem(CaseState state, RedeemParticipantLink redeem)
    {
        if (redeem.Actor.Role != Roles.Participant)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Only the invited person", "A participant's link is opened only by the person it was sent to.");
        }
        return state.Participants.GetValueOrDefault(redeem.LinkId) switch
        {
            null => Decision.Reject(RejectionKind.NotFound, "Unknown link", "The case invited nobody with this link."),
            { Removed: true } => Decision.Reject(RejectionKind.Conflict, "Link revoked", "This invitation was withdrawn."),
            { Redeemed: true } => Decision.Reject(RejectionKind.Conflict, "Link already used", "This link was already used. Please ask the teller for a new one."),
            { } p when p.ExpiresAt <= redeem.Now => Decision.Reject(RejectionKind.Conflict, "Link expired", "This link has expired. Please ask the teller for a new one."),
            _ => Decision.Accept(state, [new ParticipantLinkRedeemed(redeem.LinkId, redeem.Method, redeem.Now)]),
        };
    }

    public static Decision Remove(CaseState state, RemoveParticipant remove)
    {
        if (remove.Actor.Role is Roles.Customer or Roles.Participant)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Staff remove participants", "Only the bank's staff take someone out of the case.");
        }
        if (CaseAccessRule.Refusal(state, remove.Actor) is { } refused)
        {
            return refused;
        }
        if (string.IsNullOrWhiteSpace(remove.Reason))
        {
            return Decision.Reject(RejectionKind.Invalid, "A reason is required", "Say why they are taken out.", [new FieldError("/reason", "A reason is required.")]);
        }
        return state.Participants.GetValueOrDefault(remove.LinkId) switch
        {
            null => Decision.Reject(RejectionKind.NotFound, "Unknown participant", $"The case invited nobody with link {remove.LinkId}."),
            { Removed: true } => new Decision.Accepted([], state),
            _ => Decision.Accept(state, [new ParticipantRemoved(remove.LinkId, remove.Reason.Trim(), remove.Actor.Id, remove.Now)]),
        };
    }

    /// <summary>The room's account of who came and went; a rejoin while still present, or a second leave, records nothing.</summary>
    public static Decision Presence(CaseState state, RecordPresence presence)
    {
        if (presence.Actor.Role != Roles.System)
        {
            return Decision.Reject(RejectionKind.Forbidden, "The video room records presence", "Only the video room records who joined or left.");
        }
        var present = state.InRoom.Contains(presence.Seat);
        return (presence.Joined, present) switch
        {
            (true, false) => Decision.Accept(state, [new ParticipantJoined(presence.Seat, presence.Role, presence.Name, presence.Now)]),
            (false, true) => Decision.Accept(state, [new ParticipantLeft(presence.Seat, presence.Role, presence.Name, presence.Now)]),
            _ => new Decision.Accepted([], state),
        };
    }
}
