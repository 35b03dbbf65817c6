using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Auth.Sessions;
using VirtualBranch.Host.Problems;

namespace VirtualBranch.Host.Auth.Passwords;

/// <summary>
/// <c>POST /api/auth/password</c>: a signed-in local account changes its own password; every session of the account,
/// the caller's included, ends, so a stolen cookie or token stops working with the old password.
/// </summary>
public static class PasswordApi
{
    public const int MinimumLength = 12;

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public static void MapPasswordApi(this WebApplication app) =>
        app.MapPost("/api/auth/password", Change).RequireAuthorization()
            .WithTags("Auth").WithName("ChangePassword")
            .WithSummary("Change the signed-in local account's password (at least 12 characters); ends every session of the account.");

    /// <summary>What is wrong with the request, field by field; empty when it may be tried.</summary>
    public static IReadOnlyList<FieldError> Validate(PasswordChange? change)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(change?.CurrentPassword))
        {
            errors.Add(new("/currentPassword", "Required."));
        }
        if (string.IsNullOrEmpty(change?.NewPassword))
        {
            errors.Add(new("/newPassword", "Required."));
        }
        else if (change.NewPassword.Length < MinimumLength)
        {
            errors.Add(new("/newPassword", $"At least {MinimumLength} characters ({change.NewPassword.Length} given)."));
        }
        else if (change.NewPassword == change.CurrentPassword)
        {
            errors.Add(new("/newPassword", "Must differ from the current password."));
        }
        return errors;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Change(PasswordChange? change, LocalSignIn signIn, HttpContext http, CancellationToken cancellation)
    {
        // Only a local account's session has an id; a customer's token or an outside authority's has no password here.
        if (http.User.FindFirst(SessionStore.IdClaim) is null || http.User.FindFirst("sub")?.Value is not { Length: > 0 } user)
        {
            return ApiProblems.Forbidden("No local account",
                "Only a local account signed in with its password can change it here; a customer link or an outside sign-in has no password in VirtualBranch.");
        }
        if (Validate(change) is { Count: > 0 } errors)
        {
            return ApiProblems.Invalid("The password was not changed.", errors);
        }
        if (!await signIn.IsCurrentPasswordAsync(user, change!.CurrentPassword!, cancellation))
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Password not changed", "The current password is wrong.", [new("/currentPassword", "Wrong.")]);
        }
        await signIn.ChangePasswordAsync(user, change.NewPassword!, cancellation);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }
}
