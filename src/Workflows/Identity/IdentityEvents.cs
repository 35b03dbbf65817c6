using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Identity;

/// <summary>The customer's identity was verified: who, with which document, and how the face was matched.</summary>
public sealed record IdentityVerified(string StepId, string Name, string IdNumber, string IdExpiry, string Method, string AttestedBy, Guid? RecordingId, DateTimeOffset VerifiedAt) : ICaseEvent;

/// <summary>The identity check failed on this attempt; the customer may try again.</summary>
public sealed record IdentityRetryRequested(string StepId, int Attempt, string Reason, DateTimeOffset At) : IDomainEvent
{
    public CaseState Apply(CaseState state) => state.WithFact($"identityAttempts:{StepId}", System.Text.Json.JsonSerializer.SerializeToElement(Attempt));
}

/// <summary>The identity could not be verified; the case does not go on with this customer.</summary>
public sealed record IdentityRejected(string StepId, string Reason, int Attempts, DateTimeOffset RejectedAt) : ICaseEvent;
