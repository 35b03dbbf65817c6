using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Limits;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// The customer opens the link on their phone: the Host sends a one-time code to the same mobile, and the link and that code
/// together buy a token for this case only. Staff, signed in, are refused outright: the customer's seat is not theirs.
/// </summary>
public static class CustomerSessionApi
{
    /// <summary>How long a customer's session lasts from the moment they open the link.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(2);

    public sealed record CodeRequest(Guid? CaseId, string? Code);

    public sealed record CodeSent(string SentTo, DateTimeOffset ExpiresAt);

    public sealed record SessionRequest(Guid? CaseId, string? Code, string? Otp);

    /// <summary>The session's token; <c>As</c> is "customer", or the invited participant's role (with their name).</summary>
    public sealed record CustomerSession(string Token, DateTimeOffset ExpiresAt, string As, string? Name);

    public static void MapCustomerSessionApi(this WebApplication app)
    {
        app.MapPost("/api/customer/code", SendCode).WithTags("Customers").AllowAnonymous().RequireRateLimiting(RateLimits.CustomerCodes)
            .WithName("SendCustomerCode").WithSummary("Send a one-time code to the mobile a customer link went to (five minutes).").LinkRefusals();
        app.MapPost("/api/customer/session", Open).WithTags("Customers").AllowAnonymous().RequireRateLimiting(RateLimits.CustomerCodes)
            .WithName("OpenCustomerSession").WithSummary("Open the customer's session with the link and the one-time code; the link works once.").LinkRefusals();
    }

    /// <summary>What opening a link can meet besides invalid input: staff signed in, an unknown, used, expired or replaced link, too many codes.</summary>
    private static RouteHandlerBuilder LinkRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<Results<Accepted<CodeSent>, ProblemHttpResult>> SendCode(CodeRequest? request, CaseCommandService cases, CustomerLinkCodes links,
        CodeChallenges challenges, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (link, refused) = await OpenableAsync(http.User, request?.CaseId, request?.Code, cases, links, clock, cancellation);
        if (refused is not null)
        {
            return refused;
        }
        var (sent, expires) = await challenges.SendAsync(Purpose(link!), link!.CaseId, link.Contact,
            code => $"【远程银行】您的验证码 {code}，五分钟内有效。银行工作人员不会向您索要验证码，请勿告诉任何人。", cancellation);
        return sent ? TypedResults.Accepted((string?)null, new CodeSent(CustomerContact.Masked(link.Contact), expires)) : CodeProblems.NoMoreCodes();
    }

    private static async Task<Results<Ok<CustomerSession>, ProblemHttpResult>> Open(SessionRequest? request, CaseCommandService cases, CustomerLinkCodes links,
        CodeChallenges challenges, TokenIssuer tokens, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request?.Otp) && request?.CaseId is not null && !string.IsNullOrWhiteSpace(request.Code))
        {
            return ApiProblems.Invalid("Enter the code sent to your phone.", [new("/otp", "Required: the six-digit code from the message.")]);
        }
        var (link, refused) = await OpenableAsync(http.User, request?.CaseId, request?.Code, cases, links, clock, cancellation);
        if (refused is not null)
        {
            return refused;
        }
        var (check, left) = await challenges.CheckAsync(Purpose(link!), request!.Otp!, cancellation);
        if (CodeProblems.For(check, left, "/otp") is { } wrong)
        {
            return wrong;
        }
        var now = clock.GetUtcNow();
        var participant = link!.Party == Roles.Participant;
        var method = $"one-time code via {links.Channel}";
        var redeemed = await cases.ExecuteAsync(link.CaseId, participant
                ? new RedeemParticipantLink(link.LinkId, method, ParticipantActor(link.LinkId), now)
                : new RedeemCustomerLink(link.LinkId, method, CustomerActor(link.CaseId), now),
            RequestActor.Context(http), cancellation);
        if (redeemed.Rejection is { } rejected)
        {
            return ApiProblems.From(rejected);
        }
        if (participant)
        {
            var invited = redeemed.State!.Participants[link.LinkId];
            var (seat, until) = tokens.IssueParticipant(link.CaseId, link.LinkId, SessionLifetime);
            return TypedResults.Ok(new CustomerSession(seat, until, invited.Role, invited.Name));
        }
        var (token, expires) = tokens.IssueCustomer(link.CaseId, link.LinkId, SessionLifetime);
        return TypedResults.Ok(new CustomerSession(token, expires, Roles.Customer, null));
    }

    public static Actor CustomerActor(Guid caseId) => new($"customer:{caseId:N}", Roles.Customer);

    public static Actor ParticipantActor(string linkId) => new($"participant:{linkId}", Roles.Participant);

    private static string Purpose(CustomerLinkRecord link) => $"open/{link.LinkId}";

    /// <summary>The link a code names, if it still opens: the case's current customer link or a standing invitation, not used, not expired, not revoked.</summary>
    private static async Task<(CustomerLinkRecord? Link, ProblemHttpResult? Refused)> OpenableAsync(ClaimsPrincipal user, Guid? caseId, string? code,
        CaseCommandService cases, CustomerLinkCodes links, TimeProvider clock, CancellationToken cancellation)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            return (null, ApiProblems.Forbidden("Staff cannot open a customer link",
                "You are signed in to the bank's systems. A customer link is opened only on the customer's own phone, without signing in."));
        }
        if (caseId is not { } id || string.IsNullOrWhiteSpace(code))
        {
            return (null, ApiProblems.Invalid("The link is incomplete: it needs the case and the code.",
                [.. caseId is null ? [new FieldError("/caseId", "Required.")] : Array.Empty<FieldError>(), .. string.IsNullOrWhiteSpace(code) ? [new FieldError("/code", "Required.")] : Array.Empty<FieldError>()]));
        }
        var link = await links.FindAsync(id, code, cancellation);
        var state = link is null ? null : await cases.CurrentAsync(id, null, cancellation);
        if (link is null || state is null)
        {
            return (null, ApiProblems.NotFound("Unknown link", "This link is not valid. Please ask your teller for a new one."));
        }
        var refused = (link.Party == Roles.Participant ? ParticipantStanding(link, state) : CustomerStanding(link, state))
            ?? (state.IsClosed ? ApiProblems.Conflict("Case closed", "This case is finished; the link no longer opens it.")
                : link.ExpiresAt <= clock.GetUtcNow() ? ApiProblems.Problem(StatusCodes.Status410Gone, "Link expired", "This link has expired. Please ask your teller for a new one.", [])
                : null);
        return refused is null ? (link, null) : (null, refused);
    }

    private static ProblemHttpResult? CustomerStanding(CustomerLinkRecord link, CaseState state) => state.CustomerLink switch
    {
        null => ApiProblems.NotFound("Unknown link", "This link is not valid. Please ask your teller for a new one."),
        { } current when current.LinkId != link.LinkId || current.Revoked =>
            ApiProblems.Problem(StatusCodes.Status410Gone, "Link replaced", "This link no longer works: a newer one was sent to you, or it was stopped.", []),
        { Redeemed: true } => ApiProblems.Conflict("Link already used", "This link was already used. Please ask your teller for a new one."),
        _ => null,
    };

    private static ProblemHttpResult? ParticipantStanding(CustomerLinkRecord link, CaseState state) => state.Participants.GetValueOrDefault(link.LinkId) switch
    {
        null => ApiProblems.NotFound("Unknown link", "This link is not valid. Please ask your teller for a new one."),
        { Removed: true } => ApiProblems.Problem(StatusCodes.Status410Gone, "Invitation withdrawn", "The teller withdrew this invitation; the link no longer works.", []),
        { Redeemed: true } => ApiProblems.Conflict("Link already used", "This link was already used. Please ask your teller for a new one."),
        _ => null,
    };
}
