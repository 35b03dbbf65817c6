namespace VirtualBranch.Host.Cases.Idempotency;

/// <summary>
/// A command request that carries an <c>Idempotency-Key</c>: who sent it, the key, and the fingerprint of the request
/// (method, path, query and body). The first append of the request claims the key in the same transaction as its
/// events; later appends of the same request move the recorded version on.
/// </summary>
public sealed class IdempotencyClaim(string caller, string key, string fingerprint, int successStatus)
{
    public string Caller { get; } = caller;

    public string Key { get; } = key;

    public string Fingerprint { get; } = fingerprint;

    /// <summary>The status the endpoint answers a success with (201 for an opened case, else 200).</summary>
    public int SuccessStatus { get; } = successStatus;

    /// <summary>Set once this request's first append committed (so later appends update instead of insert).</summary>
    public bool Claimed { get; set; }
}
