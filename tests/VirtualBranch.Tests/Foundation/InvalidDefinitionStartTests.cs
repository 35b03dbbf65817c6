using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

public sealed class InvalidDefinitionStartTests
{
    [Fact]
    public async Task the_host_refuses_to_start_with_an_invalid_definition_and_names_file_path_and_problem()
    {
        await using var database = await TestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("vb-bad-defs-").FullName;
        var broken = new FlowBuilder("broken-flow").Activity("check", "decision", new { condition = "data.amount >" }).Activity("finish", "end")
            .Connect("start", "done", "check").Connect("check", "true", "finish");
        await File.WriteAllTextAsync(Path.Combine(folder, "broken-flow.json"), broken.Json(), TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await HostProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = database.ConnectionString,
            ["Engine__DefinitionsPath"] = folder,
            ["Engine__DataDirectory"] = Directory.CreateTempSubdirectory("vb-bad-data-").FullName,
        });

        exit.ShouldBe(1);
        stdout.ShouldNotContain("   at ");
        var line = stderr.Trim().ShouldNotBeNull();
        line.Split('\n').ShouldHaveSingleItem();
        line.ShouldContain("definitions/broken-flow.json");
        line.ShouldContain("$.activities[1].inputs.condition");
        line.ShouldContain("does not parse");
        line.ShouldContain("[expression-syntax]");
    }
}
