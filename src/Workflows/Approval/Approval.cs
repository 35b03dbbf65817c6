using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.Approval;

/// <summary>A supervisor approved the case, with a reason.</summary>
public sealed record ApprovalGranted(string StepId, string ApprovedBy, string Reason, DateTimeOffset ApprovedAt) : ICaseEvent;

/// <summary>A supervisor rejected the case, with a reason.</summary>
public sealed record ApprovalRefused(string StepId, string RefusedBy, string Reason, DateTimeOffset RefusedAt) : ICaseEvent;

/// <summary>Four eyes: a supervisor who has not worked the case approves or rejects it with a reason; nobody approves their own case.</summary>
public sealed class ApprovalStep : IActivity
{
    public const string TypeName = "approval";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    private static readonly JsonElement Form = ActivityContextExtensions.Schema("""
        { "type": "object", "required": ["decision", "reason"], "properties": {
          "decision": { "type": "string", "enum": ["approve", "reject"], "title": "审批 / Decision" },
          "reason": { "type": "string", "minLength": 1, "title": "理由 / Reason" } } }
        """);

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Approval", "A supervisor other than anyone who worked the case approves or rejects it, with a reason.",
        [new("role", InputKind.Text, false, "Who approves (default supervisor)."), new("deadline", InputKind.Duration, false, "How long the step may wait.")],
        [Approved, Rejected, Outcomes.Expired], Waits: true, DefaultRole: Roles.Supervisor);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(context.Node.Text("role") ?? Roles.Supervisor, Form, context.Deadline("deadline"), Outcomes.Expired));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var approver = input.Actor.Id;
        if (approver == context.State.OpenedBy || context.State.Actors.ContainsKey(approver))
        {
            return new ActivityResult.Forbidden(
                $"{approver} 已参与办理案件 {context.State.Number}，不能审批，须由另一位主管审批（双人复核）/ " +
                $"{approver} has worked on case {context.State.Number} and cannot approve it; another supervisor must (four eyes).");
        }
        var errors = context.Schemas.Validate(Form, input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var reason = input.Input.Text("reason")!;
        return input.Input.Text("decision") == "approve"
            ? ActivityResult.Complete(Approved, null, new ApprovalGranted(context.StepId, approver, reason, context.Now))
            : ActivityResult.Complete(Rejected, null, new ApprovalRefused(context.StepId, approver, reason, context.Now));
    }
}
