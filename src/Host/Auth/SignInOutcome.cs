using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Host.Auth;

/// <summary>How a sign-in ended: a session, a refusal that does not say which of name or password was wrong, or a locked account.</summary>
public abstract record SignInOutcome
{
    private SignInOutcome()
    {
    }

    public sealed record SignedIn(SessionStore.Started Started) : SignInOutcome;

    public sealed record Refused : SignInOutcome;

    /// <summary>Too many wrong passwords in a row: nothing is checked until <paramref name="Until"/>.</summary>
    public sealed record Locked(DateTimeOffset Until) : SignInOutcome;
}
