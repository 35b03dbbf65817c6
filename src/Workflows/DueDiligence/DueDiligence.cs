using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Workflows.DueDiligence;

/// <summary>The teller's due diligence was recorded: the answers to the scenario's questionnaire, findings and a risk rating.</summary>
public sealed record DueDiligenceRecorded(string StepId, JsonElement Answers, string Findings, string RiskRating, string RecordedBy, DateTimeOffset RecordedAt) : ICaseEvent;

/// <summary>A questionnaire defined in the scenario, the teller's findings and a risk rating (low, medium, high) that later steps can route on.</summary>
public sealed class DueDiligenceStep : IActivity
{
    public const string TypeName = "due-diligence";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Due diligence", "Records the questionnaire answers, findings and a risk rating; steps.<id>.riskRating is available to later steps.",
        [new("questionnaire", InputKind.Schema, true, "JSON Schema of the questionnaire answers."), new("deadline", InputKind.Duration, false, "How long the step may wait.")],
        [Outcomes.Done, Outcomes.Expired], Waits: true, DefaultRole: Roles.Teller);

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Wait(new BookmarkRequest(Roles.Teller, Form(context), context.Deadline("deadline"), Outcomes.Expired));

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        var errors = context.Schemas.Validate(Form(context), input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        var rating = input.Input.Text("riskRating")!;
        return ActivityResult.Complete(Outcomes.Done, ActivityContextExtensions.Output(new { riskRating = rating }),
            new DueDiligenceRecorded(context.StepId, input.Input.GetProperty("answers").Clone(), input.Input.Text("findings")!, rating, input.Actor.Id, context.Now));
    }

    private static JsonElement Form(ActivityContext context) => ActivityContextExtensions.Schema($$"""
        { "type": "object", "required": ["answers", "findings", "riskRating"], "properties": {
          "answers": {{context.Node.Input("questionnaire")!.Value.GetRawText()}},
          "findings": { "type": "string", "minLength": 1, "maxLength": 10000, "title": "调查结论 / Findings" },
          "riskRating": { "type": "string", "enum": ["low", "medium", "high"], "title": "风险等级 / Risk rating" } } }
        """);
}
