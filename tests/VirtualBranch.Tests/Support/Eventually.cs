using Shouldly;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// Waits for something another process brings about (a Hangfire deadline, a page's refresh), bounded; the value is
/// asserted, never the time it took.
/// </summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> ok, TimeSpan limit, Func<T, string> failure)
    {
        var until = DateTime.UtcNow + limit;
        T value;
        do
        {
            value = await read();
            if (ok(value))
            {
                return value;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        throw new ShouldAssertException(failure(value));
    }
}
