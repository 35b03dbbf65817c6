namespace VirtualBranch.Tests.Support;

/// <summary>A clock stopped at one instant, for code that takes a <see cref="TimeProvider"/>.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>The real clock moved forward by however much a test says, for the Host's own <see cref="TimeProvider"/>.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _ticks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
}
