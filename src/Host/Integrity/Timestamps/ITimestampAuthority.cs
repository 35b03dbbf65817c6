namespace VirtualBranch.Host.Integrity.Timestamps;

/// <summary>
/// A timestamp authority (RFC 3161): it vouches, with a key that is not the bank's, that some bytes existed at a time.
/// An insider who holds the bank's signing key can re-sign a rewritten history, but cannot back-date it past a token.
/// </summary>
public interface ITimestampAuthority
{
    /// <summary>
    /// The DER-encoded TimeStampToken (a CMS SignedData ContentInfo holding a TSTInfo) over the SHA-256 imprint of
    /// <paramref name="data"/>. Throws <see cref="TimestampAuthorityException"/> when the authority cannot give one.
    /// </summary>
    Task<byte[]> StampAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation);
}
