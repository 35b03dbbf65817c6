using System.Security.Claims;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Media;

/// <summary>Who may touch a case's media and documents: its customer (by their scoped token), its tellers, supervisors, regulators.</summary>
public static class CaseAccess
{
    public const string CaseClaim = "case";

    /// <summary>A customer token names one case; it grants nothing on any other.</summary>
    public static bool IsCustomerOf(ClaimsPrincipal user, Guid caseId) =>
        user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer && user.FindFirstValue(CaseClaim) == caseId.ToString();

    /// <summary>Uploading: the case's customer, or a teller or supervisor.</summary>
    public static bool MayUpload(ClaimsPrincipal user, Guid caseId) =>
        IsCustomerOf(user, caseId) || user.IsInRole(Roles.Teller) || user.IsInRole(Roles.Supervisor);

    /// <summary>Reading evidence files: a teller who worked the case, a supervisor, a regulator.</summary>
    public static async Task<bool> MayReadAsync(ClaimsPrincipal user, Guid caseId, CaseCommandService cases, CancellationToken cancellation)
    {
        if (user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Regulator))
        {
            return true;
        }
        if (!user.IsInRole(Roles.Teller))
        {
            return false;
        }
        var state = await cases.CurrentAsync(caseId, null, cancellation);
        var me = RequestActor.Of(user).Id;
        return state is not null && (state.OpenedBy == me || state.Actors.ContainsKey(me));
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
