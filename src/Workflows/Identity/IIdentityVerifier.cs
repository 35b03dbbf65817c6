namespace VirtualBranch.Workflows.Identity;

/// <summary>What the teller saw and entered at the identity step.</summary>
public sealed record IdentityClaim(string Name, string IdNumber, DateOnly IdExpiry, bool FaceMatchAttested, DateOnly Today);

/// <summary>A verdict: verified, or why not.</summary>
public sealed record IdentityVerdict(bool Verified, string Method, string? Reason);

/// <summary>
/// The plug-in point for OCR, face-match and liveness providers. Implementations must be pure over the claim
/// (a provider that calls out does so through an intent and a resume, as every outside call does).
/// The default records the teller's attestation.
/// </summary>
public interface IIdentityVerifier
{
    IdentityVerdict Verify(IdentityClaim claim);
}

/// <summary>The default: the teller attests the face matches the document; the document must not have expired.</summary>
public sealed class TellerAttestationVerifier : IIdentityVerifier
{
    public IdentityVerdict Verify(IdentityClaim claim) =>
        claim.IdExpiry < claim.Today ? new(false, "teller-attestation", $"the identity document expired on {claim.IdExpiry:yyyy-MM-dd}")
        : !claim.FaceMatchAttested ? new(false, "teller-attestation", "the teller did not confirm that the face matches the document")
        : new(true, "teller-attestation", null);
}
