using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Media;

/// <summary>Who may act on a case from the Host's own endpoints (links, uploads, recordings, the video room); reads follow <see cref="CaseReadRule"/>.</summary>
public static class CaseAccess
{
    public const string CaseClaim = "case";

    /// <summary>A customer token names one case; it grants nothing on any other.</summary>
    public static bool IsCustomerOf(ClaimsPrincipal user, Guid caseId) =>
        user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer && user.FindFirstValue(CaseClaim) == caseId.ToString();

    /// <summary>An invited participant's token: the link it was opened with, when it names this case; else null.</summary>
    public static string? ParticipantLinkIn(ClaimsPrincipal user, Guid caseId) =>
        user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Participant && user.FindFirstValue(CaseClaim) == caseId.ToString()
            ? user.FindFirstValue(Customers.CustomerConfirmations.LinkClaim)
            : null;

    /// <summary>
    /// Why <paramref name="user"/> may not act on this case (403 problem details), or null when they may: a customer token
    /// only on its own case, everyone else by <see cref="CaseAccessRule"/> (the assignment lock included).
    /// </summary>
    public static ProblemHttpResult? Refusal(ClaimsPrincipal user, CaseState state)
    {
        if (user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer && !IsCustomerOf(user, state.Id))
        {
            return Problems.ApiProblems.Forbidden("Not your case", "This link belongs to another case.");
        }
        return CaseAccessRule.Refusal(state, RequestActor.Of(user)) is { } refused ? Problems.ApiProblems.From(refused) : null;
    }

    /// <summary>An endpoint filter for /api/cases/{id}/...: a customer token only works on its own case.</summary>
    public static async ValueTask<object?> CustomerScope(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer
            && (!http.Request.RouteValues.TryGetValue("id", out var raw) || !Guid.TryParse(raw?.ToString(), out var id) || !IsCustomerOf(http.User, id)))
        {
            return Problems.ApiProblems.Forbidden("Not your case", "This link belongs to another case.");
        }
        return await next(context);
    }
}
