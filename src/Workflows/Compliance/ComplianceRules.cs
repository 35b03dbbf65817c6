using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Workflows.ESign;
using VirtualBranch.Workflows.Identity;
using VirtualBranch.Workflows.Media;
using VirtualBranch.Workflows.Willingness;

namespace VirtualBranch.Workflows.Compliance;

/// <summary>Willingness confirmation and e-signature must be inside a recorded span on every path (双录).</summary>
public sealed class RecordedSpanRule : IDefinitionRule
{
    public const string Code = "unrecorded-step";

    public const string Chinese = "意愿确认和电子签约必须在录音录像过程中进行（每条路径上都须先开始录制）。";

    public IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf) =>
        FlowPaths.ReachedWithout(definition,
                (node, _, recording) => node.Type == RecordingStart.TypeName || (node.Type != RecordingStop.TypeName && recording),
                node => node.Type is WillingnessConfirmation.TypeName or ESignature.TypeName)
            .Select(id => new DefinitionProblem(pathOf(id), Code,
                $"Step '{id}' must be recorded on every path: put a start-recording before it (and no stop-recording in between).") { Chinese = Chinese });
}

/// <summary>A scenario that moves money or opens an account must verify identity before it completes.</summary>
public sealed class IdentityFirstRule : IDefinitionRule
{
    public const string Code = "identity-missing";

    public const string Chinese = "涉及资金或开户的业务，办结前必须先通过身份核验。";

    public const string MovesMoney = "movesMoney";

    public const string OpensAccount = "opensAccount";

    public IReadOnlyList<PolicyDescriptor> Policies { get; } =
    [
        new(MovesMoney, PolicyKind.Flag, "The scenario moves money: an identity check must come before completion."),
        new(OpensAccount, PolicyKind.Flag, "The scenario opens an account: an identity check must come before completion."),
    ];

    public IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf)
    {
        if (!definition.Policies.Flag(MovesMoney) && !definition.Policies.Flag(OpensAccount))
        {
            return [];
        }
        return FlowPaths.ReachedWithout(definition,
                (node, outcome, verified) => verified || (node.Type == IdentityCheck.TypeName && outcome == IdentityCheck.Verified),
                node => node.Type is ESignature.TypeName || (node.Type == "end" && (node.Text("result") ?? "completed") == "completed"))
            .Select(id => new DefinitionProblem(pathOf(id), Code,
                $"This scenario moves money or opens an account, and step '{id}' can be reached without a verified identity check.") { Chinese = Chinese });
    }
}

/// <summary>An approval must be given by a different role from the one that works the case (four eyes).</summary>
public sealed class ApprovalRoleRule : IDefinitionRule
{
    public const string Code = "approval-same-role";

    public const string Chinese = "审批角色不能与经办角色相同（双人复核）。";

    public IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf)
    {
        var workers = definition.Activities.Where(a => a.Type != Approval.ApprovalStep.TypeName)
            .Select(a => a.Text("role") ?? (a.Type is "human-task" or IdentityCheck.TypeName or WillingnessConfirmation.TypeName or "due-diligence" ? Roles.Teller : null))
            .OfType<string>().ToHashSet();
        return definition.Activities.Where(a => a.Type == Approval.ApprovalStep.TypeName && workers.Contains(a.Text("role") ?? Roles.Supervisor))
            .Select(a => new DefinitionProblem($"{pathOf(a.Id)}.inputs.role", Code,
                $"Approval '{a.Id}' is given by the role '{a.Text("role") ?? Roles.Supervisor}', which also works the case; name another role.") { Chinese = Chinese });
    }
}

/// <summary>Every step that waits for a person or another system and can have a deadline must have one.</summary>
public sealed class DeadlineRule(ActivityRegistry activities) : IDefinitionRule
{
    public const string Code = "missing-deadline";

    public const string Chinese = "等待步骤必须设置期限，避免案件无限期等待。";

    public IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition, Func<string, string> pathOf) =>
        definition.Activities
            .Where(a => activities.Find(a.Type) is { Descriptor.Waits: true } activity && activity.Descriptor.Inputs.Any(i => i.Name == "deadline") && a.Text("deadline") is null)
            .Select(a => new DefinitionProblem($"{pathOf(a.Id)}.inputs.deadline", Code, $"Waiting step '{a.Id}' needs a deadline (e.g. \"PT30M\") so no case waits forever.") { Chinese = Chinese });
}
