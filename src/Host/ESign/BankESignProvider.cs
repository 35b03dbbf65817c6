using VirtualBranch.Host.Integrity;
using VirtualBranch.Workflows.ESign;

namespace VirtualBranch.Host.ESign;

/// <summary>The default e-sign provider: renders the PDF itself and signs it with the bank's key (detached CMS).</summary>
public sealed class BankESignProvider(ContractPdf contracts, BankSigner signer) : IESignProvider
{
    public Task<SealedContract> SealAsync(string title, string text, string customer, CancellationToken cancellation)
    {
        var pdf = contracts.Render(title, text);
        return Task.FromResult(new SealedContract(pdf, signer.Sign(pdf), customer, signer.Thumbprint));
    }
}
