namespace VirtualBranch.Workflows.ESign;

/// <summary>What a sealed contract is: the PDF and its detached signature, with who signed.</summary>
public sealed record SealedContract(byte[] Pdf, byte[] Signature, string Signer, string SignerCertificateThumbprint);

/// <summary>
/// The plug-in point for certified e-sign services. The default renders the PDF itself and signs it with the bank's
/// key; a certified service would do both and return the same shape. Called by the Host, never by the decider.
/// </summary>
public interface IESignProvider
{
    Task<SealedContract> SealAsync(string title, string text, string customer, CancellationToken cancellation);
}
