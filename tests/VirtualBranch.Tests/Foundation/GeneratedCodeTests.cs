using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>
/// Release builds load Wolverine's handlers from the code in src/Host/Internal/Generated instead of compiling them at
/// start: that code must be what `codegen` writes for the handlers as they are now.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public async Task the_committed_handler_code_is_what_codegen_writes_today()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("vb-codegen-").FullName, "Generated");
        var (exit, stdout, stderr) = await HostProcess.RunToExitAsync(["codegen", "--out", folder],
            new Dictionary<string, string> { ["Engine__DataDirectory"] = Directory.CreateTempSubdirectory("vb-codegen-data-").FullName });
        exit.ShouldBe(0, stderr);
        stdout.ShouldContain("GeneratedHandlerRegistry.cs");

        var committed = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host", "Internal", "Generated");
        static Dictionary<string, string> Files(string root) => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
        var written = Files(folder);
        var kept = Files(committed);
        kept.Keys.Order().ShouldBe(written.Keys.Order(), "run `dotnet run --project src/Host -c Debug -- codegen` and commit src/Host/Internal/Generated");
        foreach (var (file, text) in written)
        {
            kept[file].ShouldBe(text, $"{file} is stale: run `dotnet run --project src/Host -c Debug -- codegen`");
        }
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--bogus'.", "codegen", "--bogus")]
    [InlineData("Required argument missing for option: '--out'.", "codegen", "--out")]
    public async Task codegen_with_malformed_arguments_says_how_to_call_it_and_writes_nothing(string said, params string[] args)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("vb-codegen-bad-").FullName;
        var (exit, stdout, stderr) = await HostProcess.RunToExitAsync(args, workingDirectory: workingDirectory);
        exit.ShouldBe(2, stderr);
        stdout.ShouldContain(said, Case.Sensitive);
        stdout.ShouldContain("VirtualBranch.Host codegen [options]", Case.Sensitive);
        stdout.ShouldContain("--out <folder>", Case.Sensitive);
        Directory.EnumerateFileSystemEntries(workingDirectory).ShouldBeEmpty();
    }

#if RELEASE // other configurations compile the handlers at start and ship Roslyn on purpose; ./test.sh builds Release
    [Fact]
    public void the_release_host_ships_without_a_runtime_compiler()
    {
        File.Exists(Path.Combine(AppContext.BaseDirectory, "VirtualBranch.Host.dll")).ShouldBeTrue();
        Directory.EnumerateFiles(AppContext.BaseDirectory, "Microsoft.CodeAnalysis*.dll").ShouldBeEmpty();
    }
#endif
}
