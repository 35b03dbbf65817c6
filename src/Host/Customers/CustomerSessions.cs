using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// A customer's token speaks for the customer only while its link is the case's current one: a new link, or a revoked one,
/// ends every session the old link opened, on every Host (the check reads the case, not a list in memory).
/// </summary>
public static class CustomerSessions
{
    public static async Task ValidateAsync(TokenValidatedContext context)
    {
        var user = context.Principal;
        if (user?.FindFirstValue(Auth.AuthSetup.RoleClaim) != Roles.Customer)
        {
            return;
        }
        var cases = context.HttpContext.RequestServices.GetRequiredService<CaseCommandService>();
        var state = Guid.TryParse(user.FindFirstValue(Media.CaseAccess.CaseClaim), out var caseId)
            ? await cases.CurrentAsync(caseId, null, context.HttpContext.RequestAborted)
            : null;
        if (state?.CustomerLink?.Admits(user.FindFirstValue(CustomerConfirmations.LinkClaim)) != true)
        {
            context.Fail("This customer session's link was replaced or revoked.");
        }
    }
}
