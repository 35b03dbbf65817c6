using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// Step-up: before a customer's answer to a step of theirs (consent to recording, the e-signature) counts, the Host sends a
/// fresh one-time code to their mobile and the answer must carry it. A stolen customer session alone cannot consent.
/// </summary>
public static class CustomerConfirmations
{
    public const string LinkClaim = "link";

    public static void MapCustomerConfirmationApi(this WebApplication app)
    {
        app.MapPost("/api/cases/{id:guid}/bookmarks/{bookmarkId}/confirmation", Send).WithTags("Customers")
            .RequireAuthorization(p => p.RequireRole(Roles.Customer)).AddEndpointFilter(Media.CaseAccess.CustomerScope).RequireRateLimiting(Limits.RateLimits.CustomerCodes)
            .WithName("SendStepConfirmationCode").WithSummary("Send the customer a one-time code to confirm their answer to this step (five minutes).");
    }

    private static async Task<Results<Accepted<CustomerSessionApi.CodeSent>, ProblemHttpResult>> Send(Guid id, string bookmarkId, CaseCommandService cases,
        CustomerLinkCodes links, CodeChallenges challenges, HttpContext http, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || !state.Bookmarks.TryGetValue(bookmarkId, out var bookmark) || bookmark.Role != Roles.Customer)
        {
            return ApiProblems.Conflict("Nothing to confirm", $"No step of this case waits for your answer at '{bookmarkId}'. Reload the page.");
        }
        var linkId = http.User.FindFirstValue(LinkClaim) ?? "";
        if (await links.ContactAsync(id, linkId, cancellation) is not { } contact)
        {
            return ApiProblems.Forbidden("Link replaced", "This session's link no longer works.");
        }
        var what = bookmark.Title ?? bookmark.StepId;
        var (sent, expires) = await challenges.SendAsync(Purpose(linkId, bookmarkId), id, contact,
            code => $"【远程银行】您正在确认「{what}」，验证码 {code}，五分钟内有效。如非本人操作，请勿提供。", cancellation);
        return sent ? TypedResults.Accepted((string?)null, new CustomerSessionApi.CodeSent(CustomerContact.Masked(contact), expires)) : CodeProblems.NoMoreCodes();
    }

    /// <summary>
    /// The confirmation a customer's resume carries, once its code checks; null for staff (the decider then asks nothing)
    /// and for a customer who sent no code (the decider refuses the step with a clear reason).
    /// </summary>
    public static async Task<(CustomerConfirmation? Confirmation, ProblemHttpResult? Refused)> CheckAsync(ClaimsPrincipal user, string bookmarkId, string? code,
        CodeChallenges challenges, CustomerLinkCodes links, CancellationToken cancellation)
    {
        if (user.FindFirstValue(AuthSetup.RoleClaim) != Roles.Customer || string.IsNullOrWhiteSpace(code))
        {
            return (null, null);
        }
        var linkId = user.FindFirstValue(LinkClaim) ?? "";
        var (check, left) = await challenges.CheckAsync(Purpose(linkId, bookmarkId), code, cancellation);
        return CodeProblems.For(check, left, "/confirmation") is { } wrong
            ? (null, wrong)
            : (new CustomerConfirmation(linkId, $"one-time code via {links.Channel}"), null);
    }

    private static string Purpose(string linkId, string bookmarkId) => $"step/{linkId}/{bookmarkId}";
}
