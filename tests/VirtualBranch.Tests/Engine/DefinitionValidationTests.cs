using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Engine;

public sealed class DefinitionValidationTests
{
    private static DefinitionProblem Single(FlowBuilder flow, string code)
    {
        var read = flow.Read();
        read.Definition.ShouldBeNull();
        var problem = read.Problems.ShouldHaveSingleItem($"problems: {string.Join("; ", read.Problems)}");
        problem.Code.ShouldBe(code);
        problem.Message.ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    private static FlowBuilder Valid() => new FlowBuilder().Activity("finish", "end").Connect("start", "done", "finish");

    [Fact]
    public void a_valid_flow_has_no_problems_and_a_stable_content_hash()
    {
        var first = Valid().Read();
        first.Problems.ShouldBeEmpty();
        first.Definition!.ContentHash.ShouldBe(Valid().Build().ContentHash);
        first.Definition.ContentHash.Length.ShouldBe(64);
        new FlowBuilder(version: 2).Activity("finish", "end").Connect("start", "done", "finish").Build().ContentHash.ShouldNotBe(first.Definition.ContentHash);
    }

    [Fact]
    public void unknown_activity_type_names_the_known_ones()
    {
        var problem = Single(new FlowBuilder().Activity("x", "teleport").Connect("start", "done", "x"), ProblemCodes.UnknownActivityType);
        problem.Path.ShouldBe("$.activities[1].type");
        problem.Message.ShouldContain("human-task");
    }

    [Fact]
    public void missing_required_input() =>
        Single(new FlowBuilder().Activity("d", "decision", new { }).Activity("e", "end")
            .Connect("start", "done", "d").Connect("d", "true", "e"), ProblemCodes.MissingInput).Path.ShouldBe("$.activities[1].inputs.condition");

    [Fact]
    public void input_of_the_wrong_type_alone()
    {
        var problem = Single(new FlowBuilder().Activity("n", "note", new { message = 42 }).Connect("start", "done", "n"), ProblemCodes.InputWrongType);
        problem.Path.ShouldBe("$.activities[1].inputs.message");
        problem.Message.ShouldContain("must be text, not a number");
    }

    [Fact]
    public void a_document_kind_that_accepts_a_type_no_content_check_knows_is_refused()
    {
        var checklist = new[] { new { kind = "id-card", mediaTypes = new[] { "image/jpeg", "text/html" } } };
        var problem = Single(new FlowBuilder().Activity("docs", "document-collection", new { checklist }).Activity("e", "end")
            .Connect("start", "done", "docs").Connect("docs", "done", "e"), ProblemCodes.InputWrongType);
        problem.Path.ShouldBe("$.activities[1].inputs.checklist");
        problem.Message.ShouldStartWith("'id-card' accepts text/html, which cannot be checked from a file's content");
    }

    [Fact]
    public void unknown_input() =>
        Single(new FlowBuilder().Activity("n", "note", new { message = "hi", colour = "red" }).Connect("start", "done", "n"), ProblemCodes.UnknownInput);

    [Fact]
    public void unknown_outcome() =>
        Single(new FlowBuilder().Activity("n", "note", new { message = "hi" }).Connect("start", "done", "n").Connect("n", "maybe", "start"), ProblemCodes.UnknownOutcome)
            .Message.ShouldContain("Its outcomes: done");

    [Fact]
    public void dangling_connection_to_missing_activity() =>
        Single(new FlowBuilder().Activity("n", "note", new { message = "hi" }).Connect("start", "done", "n").Connect("n", "done", "nowhere"), ProblemCodes.DanglingConnection)
            .Path.ShouldBe("$.connections[1].to");

    [Fact]
    public void duplicate_connection() =>
        Single(Valid().Connect("start", "done", "finish"), ProblemCodes.DuplicateConnection).Path.ShouldBe("$.connections[1]");

    [Fact]
    public void duplicate_activity() =>
        Single(Valid().Activity("finish", "end"), ProblemCodes.DuplicateActivity);

    [Fact]
    public void unreachable_activity() =>
        Single(Valid().Activity("island", "end"), ProblemCodes.UnreachableActivity).Path.ShouldBe("$.activities[2]");

    [Fact]
    public void no_start()
    {
        var json = Valid().Json().Replace("\"type\":\"start\"", "\"type\":\"note\",\"inputs\":{\"message\":\"x\"}");
        var read = EngineKit.Parser.Read(json);
        read.Problems.ShouldContain(p => p.Code == ProblemCodes.NoStart);
    }

    [Fact]
    public void loop_with_no_waiting_step_is_a_warning_naming_the_step_bound()
    {
        var read = new FlowBuilder()
            .Activity("a", "note", new { message = "a" }).Activity("b", "set-variable", new { variable = "n", value = "1" })
            .Connect("start", "done", "a").Connect("a", "done", "b").Connect("b", "done", "a").Read();
        read.IsValid.ShouldBeTrue("Elsa runs loops that never wait; the step bound stops one that would run forever");
        var warning = read.Warnings.ShouldHaveSingleItem();
        warning.Code.ShouldBe(ProblemCodes.LoopWithoutWait);
        warning.Message.ShouldContain("a → b");
        warning.Message.ShouldContain("at most 1,000 steps in one command");
    }

    [Fact]
    public void loop_through_a_waiting_step_is_fine() =>
        new FlowBuilder()
            .Activity("ask", "human-task", new { form = new { type = "object" } })
            .Activity("again", "decision", new { condition = "input === null" })
            .Activity("finish", "end")
            .Connect("start", "done", "ask").Connect("ask", "done", "again").Connect("again", "true", "ask").Connect("again", "false", "finish")
            .Read().ShouldSatisfyAllConditions(r => r.Problems.ShouldBeEmpty(), r => r.Warnings.ShouldBeEmpty());

    [Fact]
    public void expression_that_does_not_parse() =>
        Single(new FlowBuilder().Activity("d", "decision", new { condition = "data.amount >" }).Activity("e", "end")
            .Connect("start", "done", "d").Connect("d", "true", "e"), ProblemCodes.ExpressionSyntax).Path.ShouldBe("$.activities[1].inputs.condition");

    [Fact]
    public void invalid_form_schema() =>
        Single(new FlowBuilder().Activity("t", "human-task", new { form = new { type = "no-such-type" } }).Connect("start", "done", "t"), ProblemCodes.InvalidSchema);

    [Fact]
    public void invalid_deadline() =>
        Single(new FlowBuilder().Activity("t", "human-task", new { form = new { type = "object" }, deadline = "thirty minutes" }).Connect("start", "done", "t"),
            ProblemCodes.InvalidDuration);

    [Fact]
    public void multiple_starts()
    {
        var problem = Single(new FlowBuilder().Activity("again", "start").Activity("finish", "end")
            .Connect("start", "done", "finish").Connect("again", "done", "finish"), ProblemCodes.MultipleStarts);
        problem.Path.ShouldBe("$.activities[1].type");
    }

    [Fact]
    public void every_problem_is_reported_at_once()
    {
        var read = new FlowBuilder()
            .Activity("d", "decision", new { condition = "((" })
            .Activity("x", "teleport")
            .Activity("island", "end")
            .Connect("start", "done", "d").Connect("d", "true", "x").Connect("d", "true", "x").Connect("d", "perhaps", "island")
            .Read();
        read.Problems.Select(p => p.Code).ShouldBe(
            [ProblemCodes.ExpressionSyntax, ProblemCodes.UnknownActivityType, ProblemCodes.DuplicateConnection, ProblemCodes.UnknownOutcome, ProblemCodes.UnreachableActivity],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData("{ \"id\": ", ProblemCodes.InvalidJson)]
    [InlineData("[1, 2]", ProblemCodes.WrongType)]
    [InlineData("{}", ProblemCodes.MissingField)]
    public void malformed_documents_are_refused_with_a_sentence(string json, string code) =>
        EngineKit.Parser.Read(json).Problems.ShouldContain(p => p.Code == code);

    [Fact]
    public void huge_and_deeply_nested_documents_are_refused_cleanly()
    {
        EngineKit.Parser.Read(new string(' ', 5_000_000) + "{}").Problems.ShouldHaveSingleItem().Code.ShouldBe(ProblemCodes.TooLarge);
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var problem = EngineKit.Parser.Read(deep).Problems.ShouldHaveSingleItem();
        problem.Code.ShouldBe(ProblemCodes.InvalidJson);
        problem.Message.ShouldContain("deeper than 64");
    }

    [Fact]
    public void the_sample_definitions_in_the_repository_are_valid()
    {
        var folder = Path.Combine(VirtualBranch.Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "definitions");
        var files = DefinitionSchema.DefinitionFilesIn(folder);
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            EngineKit.BankParser.Read(File.ReadAllText(file)).Problems.ShouldBeEmpty(Path.GetFileName(file));
        }
    }

    [Fact]
    public void the_generic_sample_uses_every_control_activity()
    {
        var folder = Path.Combine(VirtualBranch.Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "definitions");
        var sample = EngineKit.Parser.Read(File.ReadAllText(Path.Combine(folder, "service-request.json"))).Definition!;
        var control = EngineKit.Get<VirtualBranch.Engine.Activities.ActivityRegistry>().All
            .Where(a => a.GetType().Namespace!.EndsWith(".Control", StringComparison.Ordinal)).Select(a => a.Descriptor.Type);
        sample.Activities.Select(a => a.Type).Distinct().ShouldBe(control, ignoreOrder: true);
    }
}
