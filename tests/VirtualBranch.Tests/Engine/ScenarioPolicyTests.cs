using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Compliance;

namespace VirtualBranch.Tests.Engine;

/// <summary>
/// A scenario's policies are read once, into one typed object: a misspelt name or a wrong value is a problem at its
/// path (an analyst's "round_robin" or "retentionYears": "ten" used to be ignored without a word, and the default applied).
/// </summary>
public sealed class ScenarioPolicyTests
{
    private static FlowBuilder With(object policies) => new FlowBuilder().Activity("finish", "end").Connect("start", "done", "finish").Policies(policies);

    [Fact]
    public void the_policies_are_read_into_their_types()
    {
        var definition = With(new { numberPrefix = "LFS", retentionYears = 20, assignment = "round-robin", maxRecordingMinutes = 90 }).Build();

        var policies = definition.Policies;
        (policies.NumberPrefix, policies.RetentionYears, policies.Assignment, policies.MaxRecordingMinutes).ShouldBe(("LFS", 20L, ScenarioPolicies.RoundRobin, 90L));
        Retention.YearsOf(definition).ShouldBe(20);
        RecordingLimits.MaxDurationOf(definition).ShouldBe(TimeSpan.FromMinutes(90));
        StepLimits.MaxStepsPerCommandOf(definition).ShouldBe(StepLimits.DefaultMaxStepsPerCommand);
    }

    [Fact]
    public void none_set_gives_the_defaults()
    {
        var definition = new FlowBuilder().Activity("finish", "end").Connect("start", "done", "finish").Build();
        definition.Policies.Assignment.ShouldBe(ScenarioPolicies.FirstCome);
        Retention.YearsOf(definition).ShouldBe(Retention.DefaultYears);
        RecordingLimits.MaxBytesOf(definition).ShouldBe(RecordingLimits.DefaultMaxBytes);
    }

    [Theory]
    [InlineData("assignment", "round_robin", "assignment is 'round_robin'; it must be one of first-come, round-robin, random.")]
    [InlineData("retentionYears", "ten", "retentionYears is 'ten'; it must be a whole number of at least 1.")]
    [InlineData("numberPrefix", "L-FS", "numberPrefix is 'L-FS'; it must be 1 to 16 letters or digits, e.g. LFS.")]
    [InlineData("movesMoney", "yes", "movesMoney is 'yes'; it must be true or false.")]
    public void a_wrong_value_is_a_problem_at_its_path(string name, string value, string message)
    {
        var read = EngineKit.BankParser.Read(With(new Dictionary<string, object> { [name] = value }).Json());

        read.Definition.ShouldBeNull();
        var problem = read.Problems.ShouldHaveSingleItem();
        (problem.Path, problem.Code, problem.Message).ShouldBe(($"$.policies.{name}", ProblemCodes.WrongType, message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(2.5)]
    public void a_count_that_is_not_a_positive_whole_number_is_a_problem(double value)
    {
        var problem = With(new { maxStepsPerCommand = value }).Read().Problems.ShouldHaveSingleItem();
        (problem.Path, problem.Code).ShouldBe(("$.policies.maxStepsPerCommand", ProblemCodes.WrongType));
    }

    [Fact]
    public void an_unknown_policy_names_the_known_ones()
    {
        var problem = With(new { retentionYear = 5 }).Read().Problems.ShouldHaveSingleItem();
        (problem.Path, problem.Code).ShouldBe(("$.policies.retentionYear", ProblemCodes.UnknownPolicy));
        problem.Message.ShouldContain("retentionYears");
        ProblemCatalog.Message(problem, chinese: true).ShouldContain("策略");
    }

    [Fact]
    public void a_policy_a_rule_declares_is_read_where_the_rule_is_and_unknown_to_the_engine_alone()
    {
        var json = With(new { movesMoney = true }).Json();

        // The banking rule reads its flag: a scenario that moves money reaches its end here without an identity check.
        EngineKit.BankParser.Read(json).Problems.ShouldHaveSingleItem().Code.ShouldBe(IdentityFirstRule.Code);
        var policies = EngineKit.BankParser.Read(With(new { movesMoney = false, opensAccount = false }).Json()).Definition!.Policies;
        (policies.Flag(IdentityFirstRule.MovesMoney), policies.Flag(IdentityFirstRule.OpensAccount), policies.Declared.Count).ShouldBe((false, false, 2));
        ScenarioPolicies.Known.Select(k => k.Name).ShouldNotContain(IdentityFirstRule.MovesMoney, "the engine knows no banking");
        var problem = EngineKit.Parser.Read(json).Problems.ShouldHaveSingleItem();
        (problem.Path, problem.Code).ShouldBe(("$.policies.movesMoney", ProblemCodes.UnknownPolicy));
    }

    [Fact]
    public void the_schema_describes_every_policy_the_parser_knows_and_no_other()
    {
        var known = DefinitionParser.PoliciesKnown(EngineKit.Get<IEnumerable<IDefinitionRule>>());
        var schema = ScenarioPolicies.Schema(known);
        schema["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        schema["properties"]!.AsObject().Select(p => p.Key).ShouldBe(known.Select(k => k.Name));
        known.Select(k => k.Name).ShouldContain(IdentityFirstRule.MovesMoney);
        schema["properties"]!["assignment"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe([ScenarioPolicies.FirstCome, ScenarioPolicies.RoundRobin, ScenarioPolicies.Random]);
    }
}
