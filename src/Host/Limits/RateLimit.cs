namespace VirtualBranch.Host.Limits;

/// <summary>At most <see cref="Permits"/> requests in each fixed <see cref="Window"/> (e.g. <c>00:15:00</c>) for one partition.</summary>
public sealed class RateLimit
{
    public int Permits { get; set; }

    public TimeSpan Window { get; set; }

    public RateLimit()
    {
    }

    public RateLimit(int permits, TimeSpan window) => (Permits, Window) = (permits, window);

    /// <summary>What is wrong with this limit, naming its key; empty when it is usable.</summary>
    public IEnumerable<string> Problems(string key)
    {
        if (Permits < 1)
        {
            yield return $"{key}:Permits is {Permits}; it must be at least 1.";
        }
        if (Window <= TimeSpan.Zero)
        {
            yield return $"{key}:Window is {Window}; it must be a positive time span such as 00:15:00.";
        }
    }
}
