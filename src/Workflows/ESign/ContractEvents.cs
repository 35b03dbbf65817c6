using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.ESign;

/// <summary>The contract, rendered from the definition's template with the case data, was shown to the customer.</summary>
public sealed record ContractPresented(string StepId, string Title, string Text, string TextSha256, DateTimeOffset PresentedAt) : ICaseEvent;

/// <summary>The customer consented, in their session, to sign the contract.</summary>
public sealed record ContractConsentGiven(string StepId, string CustomerActor, string TextSha256, DateTimeOffset GivenAt) : IDomainEvent
{
    public CaseState Apply(CaseState state) => state.WithFact($"contractConsent:{StepId}", JsonSerializer.SerializeToElement(TextSha256));
}

/// <summary>The bank is asked to render and seal the signed contract (PDF plus detached CMS signature).</summary>
public sealed record ContractSigningRequested(Guid CaseId, string BookmarkId, string Title, string Text, string Signer, DateTimeOffset RequestedAt) : ICaseIntent;

/// <summary>The contract is signed: the PDF's and the signature's hashes, and who signed.</summary>
public sealed record ContractSigned(string StepId, IReadOnlyList<EvidenceFile> Evidence, string Signer, string SignerCertificate, string TextSha256, DateTimeOffset SignedAt) : ICaseEvent;

/// <summary>The customer did not consent to sign.</summary>
public sealed record ContractDeclined(string StepId, string TextSha256, DateTimeOffset DeclinedAt) : ICaseEvent;
