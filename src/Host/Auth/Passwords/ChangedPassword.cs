namespace VirtualBranch.Host.Auth.Passwords;

/// <summary>
/// A password a local account set for itself: its hash overrides the configured one (accounts.json or configuration),
/// which stays as the operator wrote it.
/// </summary>
public sealed record ChangedPassword
{
    /// <summary>The user name.</summary>
    public required string Id { get; init; }

    public required string PasswordHash { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}
