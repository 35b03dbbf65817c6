using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Auth;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Media;

/// <summary>The link a teller sends the customer: a token bound to one case, valid for two hours.</summary>
public static class CustomerLinkApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    public sealed record CustomerLink(string Token, DateTimeOffset ExpiresAt, string Url);

    public static void MapCustomerLinkApi(this WebApplication app) =>
        app.MapPost("/api/cases/{id:guid}/customer-link", Issue).WithTags("Media").RequireAuthorization(Policies.Worker)
            .WithName("IssueCustomerLink").WithSummary("A link for the customer to join the case's session; its token works on this case only.");

    private static async Task<Results<Ok<CustomerLink>, ProblemHttpResult>> Issue(Guid id, CaseCommandService cases, TokenIssuer tokens, CancellationToken cancellation)
    {
        var state = await cases.CurrentAsync(id, null, cancellation);
        if (state is null || state.IsClosed)
        {
            return ApiProblems.Conflict("No open case", $"Case {id} does not exist or is closed; a customer cannot join it.");
        }
        var (token, expires) = tokens.IssueCustomer(id, Lifetime);
        return TypedResults.Ok(new CustomerLink(token, expires, $"/customer?case={id}&token={Uri.EscapeDataString(token)}"));
    }
}
