using System.Numerics;
using Jint.Native.Temporal;

namespace VirtualBranch.Engine.Expressions;

/// <summary>
/// Jint's Temporal zones, except that the default zone (<c>Temporal.Now.timeZoneId()</c>, <c>plainDateTimeISO()</c>)
/// is UTC instead of the machine's: Temporal asks this provider, not the engine's time system.
/// </summary>
internal sealed class UtcTemporalZones : ITimeZoneProvider
{
    public static readonly UtcTemporalZones Instance = new();

    private static readonly ITimeZoneProvider Zones = DefaultTimeZoneProvider.Instance;

    public string GetDefaultTimeZone() => "UTC";

    public long GetOffsetNanosecondsFor(string timeZoneId, BigInteger epochNanoseconds) =>
        Zones.GetOffsetNanosecondsFor(timeZoneId, epochNanoseconds);

    public BigInteger[] GetPossibleInstantsFor(string timeZoneId, int year, int month, int day, int hour, int minute,
        int second, int millisecond, int microsecond, int nanosecond) =>
        Zones.GetPossibleInstantsFor(timeZoneId, year, month, day, hour, minute, second, millisecond, microsecond, nanosecond);

    public BigInteger? GetNextTransition(string timeZoneId, BigInteger epochNanoseconds) =>
        Zones.GetNextTransition(timeZoneId, epochNanoseconds);

    public BigInteger? GetPreviousTransition(string timeZoneId, BigInteger epochNanoseconds) =>
        Zones.GetPreviousTransition(timeZoneId, epochNanoseconds);

    public bool IsValidTimeZone(string timeZoneId) => Zones.IsValidTimeZone(timeZoneId);

    public string? CanonicalizeTimeZone(string timeZoneId) => Zones.CanonicalizeTimeZone(timeZoneId);

    public IReadOnlyCollection<string> GetAvailableTimeZones() => Zones.GetAvailableTimeZones();

    public string? GetPrimaryTimeZoneIdentifier(string timeZoneId) => Zones.GetPrimaryTimeZoneIdentifier(timeZoneId);
}
