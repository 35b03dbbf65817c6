namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>What a timestamp token proves: whether it holds, the time it vouches for, who signed it, and why it fails.</summary>
/// <param name="Valid">True only when the imprint, the signature, the pinned authority and its validity period all check out.</param>
/// <param name="Time">The token's genTime, when the token could be read at all.</param>
/// <param name="AuthoritySubject">The signer's subject, once the signature verified.</param>
/// <param name="Detail">One sentence for a person: what was checked, or what failed.</param>
public sealed record TimestampCheck(bool Valid, DateTimeOffset? Time, string? AuthoritySubject, string Detail);
