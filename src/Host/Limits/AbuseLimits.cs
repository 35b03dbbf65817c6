namespace VirtualBranch.Host.Limits;

/// <summary>
/// How much a caller may ask before the Host says 429, and how many wrong passwords lock an account; bound from the
/// <c>Limits</c> section. The defaults suit a bank branch: a handful of sign-ins per person, a branch's tellers behind
/// one address, a recorder sending two chunks a second.
/// </summary>
public sealed class AbuseLimits
{
    public const string Section = "Limits";

    /// <summary>Sign-in attempts for one user name, right or wrong, from anywhere (<c>Limits:SignInPerAccount</c>).</summary>
    public RateLimit SignInPerAccount { get; set; } = new(10, TimeSpan.FromMinutes(15));

    /// <summary>Sign-in attempts from one client address, whatever the name (<c>Limits:SignInPerAddress</c>).</summary>
    public RateLimit SignInPerAddress { get; set; } = new(60, TimeSpan.FromMinutes(15));

    /// <summary>Customer-link exchanges and one-time-code requests from one client address (<c>Limits:CustomerCodesPerAddress</c>).</summary>
    public RateLimit CustomerCodesPerAddress { get; set; } = new(30, TimeSpan.FromMinutes(15));

    /// <summary>Document uploads and recording chunks from one signed-in caller (<c>Limits:UploadsPerCaller</c>).</summary>
    public RateLimit UploadsPerCaller { get; set; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary>CSP violation reports from one client address (<c>Limits:CspReportsPerAddress</c>).</summary>
    public RateLimit CspReportsPerAddress { get; set; } = new(30, TimeSpan.FromMinutes(1));

    /// <summary>The largest CSP violation report read, in bytes (<c>Limits:CspReportBytes</c>).</summary>
    public int CspReportBytes { get; set; } = 16 * 1024;

    /// <summary>Wrong passwords in a row that lock an account (<c>Limits:Lockout:Failures</c>), and for how long (<c>Limits:Lockout:Duration</c>).</summary>
    public LockoutPolicy Lockout { get; set; } = new();

    /// <summary>Every problem with the limits, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems() =>
    [
        .. SignInPerAccount.Problems($"{Section}:{nameof(SignInPerAccount)}"),
        .. SignInPerAddress.Problems($"{Section}:{nameof(SignInPerAddress)}"),
        .. CustomerCodesPerAddress.Problems($"{Section}:{nameof(CustomerCodesPerAddress)}"),
        .. UploadsPerCaller.Problems($"{Section}:{nameof(UploadsPerCaller)}"),
        .. CspReportsPerAddress.Problems($"{Section}:{nameof(CspReportsPerAddress)}"),
        .. CspReportBytes is < 256 or > 1024 * 1024 ? [$"{Section}:{nameof(CspReportBytes)} is {CspReportBytes}; it must be between 256 and 1048576."] : Array.Empty<string>(),
        .. Lockout.Problems($"{Section}:{nameof(Lockout)}"),
    ];
}

/// <summary>Wrong passwords in a row before an account locks, and how long it stays locked.</summary>
public sealed class LockoutPolicy
{
    public int Failures { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<string> Problems(string key)
    {
        if (Failures < 1)
        {
            yield return $"{key}:Failures is {Failures}; it must be at least 1.";
        }
        if (Duration <= TimeSpan.Zero)
        {
            yield return $"{key}:Duration is {Duration}; it must be a positive time span such as 00:15:00.";
        }
    }
}
