using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth.Lockout;

/// <summary>A supervisor lifts an account's lock before it runs out (the colleague at the desk has proved who they are).</summary>
public static class LockoutApi
{
    public static void MapLockoutApi(this WebApplication app) =>
        app.MapDelete("/api/auth/lockouts/{user}", Unlock).WithTags("Auth").RequireAuthorization(Policies.Supervisor)
            .WithName("UnlockAccount").WithSummary("Lift the sign-in lock of an account that had too many wrong passwords in a row.");

    private static async Task<Results<NoContent, ProblemHttpResult>> Unlock(string user, AccountLockouts lockouts, HttpContext http, CancellationToken cancellation) =>
        await lockouts.UnlockAsync(user, http.User.FindFirst("sub")?.Value ?? "?", cancellation)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound("Not locked", $"The account '{user}' is not locked; nothing was changed.");
}
