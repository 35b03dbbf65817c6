using System.Text.Json;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Documents;

/// <summary>A document was collected for the case: its kind, who uploaded it, and its content hash.</summary>
public sealed record DocumentCollected(string StepId, Guid DocumentId, string Kind, string FileName, string UploadedBy, IReadOnlyList<EvidenceFile> Evidence, DateTimeOffset CollectedAt)
    : IDomainEvent
{
    public CaseState Apply(CaseState state) =>
        state.WithFact($"document:{Evidence[0].Sha256}", JsonSerializer.SerializeToElement(new { DocumentId, Kind, StepId }));
}

/// <summary>Every required document is in.</summary>
public sealed record DocumentsComplete(string StepId, IReadOnlyList<string> Kinds, DateTimeOffset CompletedAt) : ICaseEvent;
