namespace VirtualBranch.Engine.Runtime;

/// <summary>Staff invited another person into the video session; their link went to <c>To</c> (masked). Their seat in the room is <c>participant:{LinkId}</c>.</summary>
public sealed record ParticipantInvited(string LinkId, string Role, string Name, string Channel, string To, DateTimeOffset ExpiresAt, string InvitedBy, DateTimeOffset InvitedAt);

/// <summary>The invited person opened their link and proved they hold the phone it went to.</summary>
public sealed record ParticipantLinkRedeemed(string LinkId, string Method, DateTimeOffset RedeemedAt);

/// <summary>The invited person was taken out of the case; their link and session stopped working.</summary>
public sealed record ParticipantRemoved(string LinkId, string Reason, string RemovedBy, DateTimeOffset RemovedAt);

/// <summary>Someone besides the teller and the customer joined the video room (and so the recording).</summary>
public sealed record ParticipantJoined(string Seat, string Role, string Name, DateTimeOffset JoinedAt);

/// <summary>They left the video room.</summary>
public sealed record ParticipantLeft(string Seat, string Role, string Name, DateTimeOffset LeftAt);

/// <summary>An invited person as the case knows them.</summary>
public sealed record ParticipantState(string LinkId, string Role, string Name, DateTimeOffset ExpiresAt, bool Redeemed, bool Removed)
{
    /// <summary>Whether a session opened with this link still admits them to the room.</summary>
    public bool Admitted => Redeemed && !Removed;
}

/// <summary>The participant events, for registration with the store.</summary>
public static class ParticipantEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(ParticipantInvited), typeof(ParticipantLinkRedeemed), typeof(ParticipantRemoved), typeof(ParticipantJoined), typeof(ParticipantLeft)];

    /// <summary>The seat an invited person takes in the video room.</summary>
    public static string Seat(string linkId) => $"participant:{linkId}";

    public static CaseState Apply(CaseState state, object @event) => @event switch
    {
        ParticipantInvited e => state with { Participants = state.Participants.SetItem(e.LinkId, new ParticipantState(e.LinkId, e.Role, e.Name, e.ExpiresAt, false, false)) },
        ParticipantLinkRedeemed e when state.Participants.TryGetValue(e.LinkId, out var p) => state with { Participants = state.Participants.SetItem(e.LinkId, p with { Redeemed = true }) },
        ParticipantRemoved e when state.Participants.TryGetValue(e.LinkId, out var p) => state with { Participants = state.Participants.SetItem(e.LinkId, p with { Removed = true }) },
        ParticipantJoined e => state with { InRoom = state.InRoom.Add(e.Seat) },
        ParticipantLeft e => state with { InRoom = state.InRoom.Remove(e.Seat) },
        _ => CustomerLinkEvents.Apply(state, @event),
    };
}
