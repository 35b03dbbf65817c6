using System.Security.Claims;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Media;

/// <summary>Who may send a case's media and documents: its customer (by their scoped token), tellers, supervisors. Reads follow <see cref="CaseReadRule"/>.</summary>
public static class CaseAccess
{
    public const string CaseClaim = "case";

    /// <summary>A customer token names one case; it grants nothing on any other.</summary>
    public static bool IsCustomerOf(ClaimsPrincipal user, Guid caseId) =>
        user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer && user.FindFirstValue(CaseClaim) == caseId.ToString();

    /// <summary>Uploading: the case's customer, or a teller or supervisor.</summary>
    public static bool MayUpload(ClaimsPrincipal user, Guid caseId) =>
        IsCustomerOf(user, caseId) || user.IsInRole(Roles.Teller) || user.IsInRole(Roles.Supervisor);

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
