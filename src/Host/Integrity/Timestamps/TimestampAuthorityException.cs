namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>No token could be had: the message names the authority and what went wrong (HTTP status, refusal, wrong imprint, timeout).</summary>
public sealed class TimestampAuthorityException : Exception
{
    public TimestampAuthorityException(string message) : base(message)
    {
    }

    public TimestampAuthorityException(string message, Exception inner) : base(message, inner)
    {
    }
}
