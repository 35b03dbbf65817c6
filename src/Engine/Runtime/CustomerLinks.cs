using VirtualBranch.Engine.Activities;

namespace VirtualBranch.Engine.Runtime;

/// <summary>
/// Decisions on the customer's link: staff issue and revoke it, the messenger delivers it, only the customer redeems it.
/// One link is current per case; issuing another revokes it, and with it every session it opened.
/// </summary>
public static class CustomerLinks
{
    public static Decision Issue(CaseState state, IssueCustomerLink issue)
    {
        if (issue.Actor.Role == Roles.Customer)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Staff issue links", "A customer cannot issue a link to the case.");
        }
        if (CaseAccessRule.Refusal(state, issue.Actor) is { } refused)
        {
            return refused;
        }
        var events = new List<object>();
        if (state.CustomerLink is { Revoked: false } earlier)
        {
            events.Add(new CustomerLinkRevoked(earlier.LinkId, "A new link was issued.", issue.Actor.Id, issue.Now));
        }
        events.Add(new CustomerLinkIssued(issue.LinkId, issue.Channel, issue.To, issue.ExpiresAt, issue.Actor.Id, issue.Now));
        return Decision.Accept(state, events);
    }

    public static Decision Deliver(CaseState state, RecordLinkDelivery delivery) =>
        delivery.Actor.Role != Roles.System
            ? Decision.Reject(RejectionKind.Forbidden, "The messenger delivers", "Only the bank's messenger records a delivery.")
            : state.CustomerLink?.LinkId != delivery.LinkId && !state.Participants.ContainsKey(delivery.LinkId)
                ? Decision.Reject(RejectionKind.Conflict, "Not the current link", $"Link {delivery.LinkId} is neither the case's current customer link nor a participant's.")
                : Decision.Accept(state, [new CustomerLinkDelivered(delivery.LinkId, delivery.Channel, delivery.Reference, delivery.Now)]);

    public static Decision Redeem(CaseState state, RedeemCustomerLink redeem)
    {
        if (redeem.Actor.Role != Roles.Customer)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Only the customer", "Staff cannot open the customer's link.");
        }
        return state.CustomerLink switch
        {
            { } link when link.LinkId != redeem.LinkId || link.Revoked =>
                Decision.Reject(RejectionKind.Conflict, "Link replaced", "This link no longer works: a newer one was sent, or it was revoked."),
            { Redeemed: true } => Decision.Reject(RejectionKind.Conflict, "Link already used", "This link was already used. Please ask your teller for a new one."),
            { } link when link.ExpiresAt <= redeem.Now => Decision.Reject(RejectionKind.Conflict, "Link expired", "This link has expired. Please ask your teller for a new one."),
            null => Decision.Reject(RejectionKind.NotFound, "Unknown link", "The case has no customer link."),
            _ => Decision.Accept(state, [new CustomerLinkRedeemed(redeem.LinkId, redeem.Method, redeem.Now)]),
        };
    }

    public static Decision Revoke(CaseState state, RevokeCustomerLink revoke)
    {
        if (revoke.Actor.Role == Roles.Customer)
        {
            return Decision.Reject(RejectionKind.Forbidden, "Staff revoke links", "A customer cannot revoke the case's link.");
        }
        if (CaseAccessRule.Refusal(state, revoke.Actor) is { } refused)
        {
            return refused;
        }
        if (string.IsNullOrWhiteSpace(revoke.Reason))
        {
            return Decision.Reject(RejectionKind.Invalid, "A reason is required", "Say why the link is revoked.", [new FieldError("/reason", "A reason is required.")]);
        }
        return state.CustomerLink is { Revoked: false } link
            ? Decision.Accept(state, [new CustomerLinkRevoked(link.LinkId, revoke.Reason.Trim(), revoke.Actor.Id, revoke.Now)])
            : new Decision.Accepted([], state);
    }

    /// <summary>
    /// A step that waits for the customer takes their answer only with a fresh confirmation made with the current link:
    /// consent to recording and the e-signature are the customer's own acts. Returns the event that records it.
    /// </summary>
    public static (Decision.Rejected? Refused, CustomerConfirmed? Confirmed) Confirm(CaseState state, StepWaiting bookmark, ResumeBookmark resume)
    {
        if (bookmark.Role != Roles.Customer || resume.Actor.Role != Roles.Customer)
        {
            return (null, null);
        }
        if (resume.Confirmation is not { } confirmation || state.CustomerLink?.Admits(confirmation.LinkId) != true)
        {
            return (Decision.Reject(RejectionKind.Forbidden, "Confirm it is you",
                $"Step '{bookmark.StepId}' needs your fresh confirmation: enter the code sent to your phone."), null);
        }
        return (null, new CustomerConfirmed(bookmark.StepId, bookmark.BookmarkId, confirmation.LinkId, confirmation.Method, resume.Now));
    }
}
