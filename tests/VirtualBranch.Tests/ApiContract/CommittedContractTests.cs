using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.ApiContract;

/// <summary>
/// The contract integrators generate clients from is <c>docs/openapi.json</c>; it must be what the Host serves at
/// <c>/openapi/v1.json</c>, so a change to an endpoint shows up in review as a change to that file.
/// </summary>
public sealed class CommittedContractTests(HostFixture host) : IClassFixture<HostFixture>
{
    /// <summary>Set to 1 to write the served document over the committed one instead of comparing them.</summary>
    public const string WriteVariable = "VB_WRITE_OPENAPI";

    public static readonly string CommittedPath =
        Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "docs", "openapi.json");

    [Fact]
    public async Task the_committed_contract_is_what_the_host_serves()
    {
        var served = Normalised(await host.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served, TestContext.Current.CancellationToken);
        }
        var committed = File.Exists(CommittedPath) ? Normalised(await File.ReadAllTextAsync(CommittedPath, TestContext.Current.CancellationToken)) : "";
        committed.ShouldBe(served,
            $"docs/openapi.json differs from /openapi/v1.json. If the change is meant, regenerate it: " +
            $"{WriteVariable}=1 dotnet tests/VirtualBranch.Tests/bin/Release/net10.0/VirtualBranch.Tests.dll -class '{typeof(CommittedContractTests).FullName}'");
    }

    /// <summary>Indented with properties in the order served and a final newline: byte-stable, and diffs read line by line.</summary>
    public static string Normalised(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
