namespace VirtualBranch.Engine.Runtime;

/// <summary>A link for the customer was issued; it replaces any earlier link of the case. <c>To</c> is the masked contact.</summary>
public sealed record CustomerLinkIssued(string LinkId, string Channel, string To, DateTimeOffset ExpiresAt, string IssuedBy, DateTimeOffset IssuedAt);

/// <summary>The messenger accepted a link for delivery: the customer's, or an invited participant's.</summary>
public sealed record CustomerLinkDelivered(string LinkId, string Channel, string Reference, DateTimeOffset DeliveredAt);

/// <summary>The customer opened the link and proved they hold the contact (a one-time code sent to it).</summary>
public sealed record CustomerLinkRedeemed(string LinkId, string Method, DateTimeOffset RedeemedAt);

/// <summary>The link, and every customer session it opened, stopped working.</summary>
public sealed record CustomerLinkRevoked(string LinkId, string Reason, string RevokedBy, DateTimeOffset RevokedAt);

/// <summary>The customer confirmed this step afresh with a one-time code sent to their contact (step-up).</summary>
public sealed record CustomerConfirmed(string StepId, string BookmarkId, string LinkId, string Method, DateTimeOffset ConfirmedAt);

/// <summary>The confirmation a customer's command carries once the Host has checked its code.</summary>
public sealed record CustomerConfirmation(string LinkId, string Method);

/// <summary>The case's current customer link: the only one whose sessions may act as the customer.</summary>
public sealed record CustomerLinkState(string LinkId, DateTimeOffset ExpiresAt, bool Redeemed, bool Revoked)
{
    /// <summary>Whether a session opened with <paramref name="linkId"/> still speaks for the customer.</summary>
    public bool Admits(string? linkId) => !Revoked && Redeemed && linkId == LinkId;
}

/// <summary>The customer-link events, for registration with the store.</summary>
public static class CustomerLinkEvents
{
    public static readonly IReadOnlyList<Type> All =
        [typeof(CustomerLinkIssued), typeof(CustomerLinkDelivered), typeof(CustomerLinkRedeemed), typeof(CustomerLinkRevoked), typeof(CustomerConfirmed)];

    public static CaseState Apply(CaseState state, object @event) => @event switch
    {
        CustomerLinkIssued e => state with { CustomerLink = new CustomerLinkState(e.LinkId, e.ExpiresAt, Redeemed: false, Revoked: false) },
        CustomerLinkRedeemed e when state.CustomerLink?.LinkId == e.LinkId => state with { CustomerLink = state.CustomerLink with { Redeemed = true } },
        CustomerLinkRevoked e when state.CustomerLink?.LinkId == e.LinkId => state with { CustomerLink = state.CustomerLink with { Revoked = true } },
        _ => state,
    };
}
