using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Willingness;

/// <summary>A question of the willingness script, and the answer that shows the customer acts of their own will.</summary>
public sealed record WillingnessQuestion(string Id, string Text, string Expected);

/// <summary>The exact questions put to this customer (drawn from the pool with the case's seed, so replay draws the same).</summary>
public sealed record WillingnessScriptPresented(string StepId, IReadOnlyList<WillingnessQuestion> Questions, DateTimeOffset PresentedAt) : ICaseEvent;

/// <summary>One answer, with its offset into the running recording so a regulator can jump to it.</summary>
public sealed record WillingnessAnswerRecorded(string StepId, string QuestionId, string Question, string Expected, string Answer, Guid? RecordingId, long OffsetMs) : ICaseEvent;

/// <summary>The customer confirmed, of their own will, every question.</summary>
public sealed record WillingnessConfirmed(string StepId, int Questions, Guid? RecordingId, DateTimeOffset ConfirmedAt) : ICaseEvent;

/// <summary>Willingness was not shown: an unexpected answer, or the teller saw the customer being prompted.</summary>
public sealed record WillingnessDeclined(string StepId, string Reason, string? QuestionId, DateTimeOffset DeclinedAt) : ICaseEvent;
