using System.Text.Json;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Workflows.Willingness;

/// <summary>
/// The willingness script: questions from the definition (plus a seeded draw from a pool, so customers cannot be
/// coached on a fixed list), each answer recorded with its offset into the recording. Any unexpected answer, or the
/// teller seeing the customer prompted by someone (reason required), ends it declined.
/// </summary>
public sealed class WillingnessConfirmation : IActivity
{
    public const string TypeName = "willingness-confirmation";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";

    public ActivityDescriptor Descriptor { get; } = new(TypeName, "Willingness", "Asks the willingness questions on camera and records each answer.",
        [
            new("questions", InputKind.Array, true, "[{ \"id\", \"text\", \"expected\" }] always asked."),
            new("pool", InputKind.Array, false, "More questions to draw from."),
            new("draw", InputKind.Integer, false, "How many to draw from the pool."),
            Recorded.Input,
        ],
        [Confirmed, Declined], Waits: true, DefaultRole: Roles.Teller);

    public ActivityResult Execute(ActivityContext context)
    {
        var script = Script(context);
        return ActivityResult.Wait(new BookmarkRequest(Roles.Teller, Form(script)), new WillingnessScriptPresented(context.StepId, script, context.Now));
    }

    public ActivityResult Resume(ActivityContext context, ResumeInput input)
    {
        if (Recorded.Require(context, byDefault: true) is { } refused)
        {
            return refused;
        }
        var script = Script(context);
        var errors = context.Schemas.Validate(Form(script), input.Input);
        if (errors.Count > 0)
        {
            return new ActivityResult.Rejected(errors);
        }
        if (input.Input.Text("promptedReason") is { Length: > 0 } prompted)
        {
            return Complete(context, Declined, new WillingnessDeclined(context.StepId, $"The customer appeared to be prompted: {prompted}", null, context.Now));
        }
        var answers = input.Input.GetProperty("answers").EnumerateArray().ToDictionary(a => a.Text("questionId")!, a => a);
        var missing = script.Where(q => !answers.ContainsKey(q.Id)).Select(q => q.Id).ToList();
        if (missing.Count > 0)
        {
            return ActivityResult.Refuse("/answers", $"Every question needs an answer; missing: {string.Join(", ", missing)}.");
        }
        var recording = Recorded.Current(context);
        var events = new List<object>();
        foreach (var question in script)
        {
            var answer = answers[question.Id];
            events.Add(new WillingnessAnswerRecorded(context.StepId, question.Id, question.Text, question.Expected, answer.Text("answer")!, recording,
                answer.GetProperty("offsetMs").GetInt64()));
            if (!string.Equals(answer.Text("answer")!.Trim(), question.Expected, StringComparison.OrdinalIgnoreCase))
            {
                events.Add(new WillingnessDeclined(context.StepId, $"Unexpected answer to \"{question.Text}\": \"{answer.Text("answer")}\".", question.Id, context.Now));
                return new ActivityResult.Completed([Declined], null, events);
            }
        }
        events.Add(new WillingnessConfirmed(context.StepId, script.Count, recording, context.Now));
        return new ActivityResult.Completed([Confirmed], null, events);
    }

    public IEnumerable<DefinitionProblem> Validate(ActivityNode node, string path, DefinitionChecks checks) =>
        Questions(node.Input("questions")).Count == 0
            ? [new DefinitionProblem($"{path}.inputs.questions", ProblemCodes.InputWrongType, "Give at least one question as { \"id\", \"text\", \"expected\" }.")]
            : [];

    private static ActivityResult Complete(ActivityContext context, string outcome, object @event) => ActivityResult.Complete(outcome, null, @event);

    /// <summary>The fixed questions, then <c>draw</c> from the pool chosen with the step run's seed.</summary>
    public static IReadOnlyList<WillingnessQuestion> Script(ActivityContext context)
    {
        var fixedQuestions = Questions(context.Node.Input("questions"));
        var pool = Questions(context.Node.Input("pool"));
        var draw = Math.Min(context.Integer("draw", 0), pool.Count);
        var random = new Random(context.Seed);
        var drawn = pool.OrderBy(_ => random.Next()).Take(draw);
        return [.. fixedQuestions, .. drawn];
    }

    private static List<WillingnessQuestion> Questions(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(q => q.Text("id") is not null && q.Text("text") is not null && q.Text("expected") is not null)
                .Select(q => new WillingnessQuestion(q.Text("id")!, q.Text("text")!, q.Text("expected")!))]
            : [];

    private static JsonElement Form(IReadOnlyList<WillingnessQuestion> script) => ActivityContextExtensions.Schema($$"""
        { "type": "object", "properties": {
          "answers": { "type": "array", "items": { "type": "object", "required": ["questionId", "answer", "offsetMs"], "properties": {
            "questionId": { "type": "string", "enum": {{JsonSerializer.Serialize(script.Select(q => q.Id))}} },
            "answer": { "type": "string", "minLength": 1 }, "offsetMs": { "type": "integer", "minimum": 0 } } } },
          "promptedReason": { "type": "string", "title": "客户疑似被他人指使 / Customer appears prompted by someone (reason)" } },
          "anyOf": [ { "required": ["answers"] }, { "required": ["promptedReason"] } ] }
        """);
}
