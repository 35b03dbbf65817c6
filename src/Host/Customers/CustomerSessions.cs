using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Host.Customers;

/// <summary>
/// A customer's token speaks for the customer only while its link is the case's current one: a new link, or a revoked one,
/// ends every session the old link opened, on every Host: the check reads the case at its latest version in the database.
/// An invited participant's token works while their invitation stands (opened, not withdrawn), checked the same way.
/// </summary>
public static class CustomerSessions
{
    public static async Task ValidateAsync(TokenValidatedContext context)
    {
        var user = context.Principal;
        var role = user?.FindFirstValue(Auth.AuthSetup.RoleClaim);
        if (role is not (Roles.Customer or Roles.Participant))
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var cancellation = context.HttpContext.RequestAborted;
        CaseState? state = null;
        if (Guid.TryParse(user!.FindFirstValue(Media.CaseAccess.CaseClaim), out var caseId))
        {
            // The stream's version from the database first: another Host may have revoked the link since this one cached the case.
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
            var stream = await session.Events.FetchStreamStateAsync(caseId, cancellation);
            state = stream is null ? null : await services.GetRequiredService<CaseCommandService>().CurrentAsync(caseId, stream.Version, cancellation);
        }
        var link = user!.FindFirstValue(CustomerConfirmations.LinkClaim) ?? "";
        var admitted = role == Roles.Customer
            ? state?.CustomerLink?.Admits(link) == true
            : state?.Participants.GetValueOrDefault(link)?.Admitted == true;
        if (!admitted)
        {
            context.Fail(role == Roles.Customer ? "This customer session's link was replaced or revoked." : "This participant's invitation was withdrawn.");
        }
    }
}
