using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace VirtualBranch.Host.Auth.Sessions;

/// <summary>
/// A local account's cookie or access token authenticates only while its session is active in PostgreSQL, so sign-out
/// and a password change take effect at once. A customer's or an invited participant's token has no session: it is bound to its case and link instead.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateCookie(CookieValidatePrincipalContext context)
    {
        if (await ActiveSessionOf(context.Principal, SessionKind.Cookie, context.HttpContext) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static async Task ValidateToken(TokenValidatedContext context)
    {
        if (HoldsLink(context.Principal))
        {
            await Customers.CustomerSessions.ValidateAsync(context); // bound to the case's link instead
            return;
        }
        if (await ActiveSessionOf(context.Principal, SessionKind.Token, context.HttpContext) is null)
        {
            context.Fail("The token's session has ended, expired or is unknown.");
        }
    }

    private static async Task<AuthSession?> ActiveSessionOf(ClaimsPrincipal? principal, SessionKind kind, HttpContext http) =>
        principal?.FindFirst(SessionStore.IdClaim)?.Value is { Length: > 0 } id
            ? await http.RequestServices.GetRequiredService<SessionStore>().ActiveAsync(id, kind, http.RequestAborted)
            : null;

    // TokenIssuer.IssueCustomer's and IssueParticipant's tokens: bound to a case and a link, no session.
    private static bool HoldsLink(ClaimsPrincipal? principal) =>
        principal?.FindFirst(SessionStore.IdClaim) is null
        && principal?.FindFirst(AuthSetup.RoleClaim)?.Value is Engine.Activities.Roles.Customer or Engine.Activities.Roles.Participant
        && principal.FindFirst(Media.CaseAccess.CaseClaim) is not null;
}
