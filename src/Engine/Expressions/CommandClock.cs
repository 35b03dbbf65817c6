using System.Globalization;
using Jint.Runtime;

namespace VirtualBranch.Engine.Expressions;

/// <summary>
/// The clock and time zone an expression sees: every read of the current time (<c>new Date()</c>, <c>Date()</c>,
/// <c>Date.now()</c>, <c>Temporal.Now</c>) gives the command's time and local time is UTC, so replay on any
/// machine, at any moment, evaluates to the same value. One per evaluation, so no time outlives its command.
/// </summary>
internal sealed class CommandClock(DateTimeOffset now) : DefaultTimeSystem(Utc, CultureInfo.InvariantCulture)
{
    /// <summary>
    /// UTC under a fixed name: <see cref="TimeZoneInfo.Utc"/> takes its display name from the host's language,
    /// and <c>Date()</c> prints it ("Coordinated Universal Time" here, "Koordinierte Weltzeit" on a German host).
    /// </summary>
    public static readonly TimeZoneInfo Utc =
        TimeZoneInfo.CreateCustomTimeZone("UTC", TimeSpan.Zero, "Coordinated Universal Time", "Coordinated Universal Time");

    public override DateTimeOffset GetUtcNow() => now;
}
