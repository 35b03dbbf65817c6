using System.Diagnostics;
using Shouldly;
using VirtualBranch.Host.Configuration;

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
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "VirtualBranch.Host.dll"), "codegen", "--out", folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["Engine__DataDirectory"] = Directory.CreateTempSubdirectory("vb-codegen-data-").FullName;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0, await stderr);
        (await stdout).ShouldContain("GeneratedHandlerRegistry.cs");

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
    [InlineData("codegen", "--bogus")]
    [InlineData("codegen", "--out")]
    public async Task codegen_with_malformed_arguments_says_how_to_call_it_and_writes_nothing(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "VirtualBranch.Host.dll"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("vb-codegen-bad-").FullName,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(2, await stderr);
        (await stdout).ShouldStartWith("usage: codegen [--out <folder>]");
        Directory.EnumerateFileSystemEntries(start.WorkingDirectory).ShouldBeEmpty();
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
