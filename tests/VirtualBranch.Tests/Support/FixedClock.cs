namespace VirtualBranch.Tests.Support;

/// <summary>A clock stopped at one instant, for code that takes a <see cref="TimeProvider"/>.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
