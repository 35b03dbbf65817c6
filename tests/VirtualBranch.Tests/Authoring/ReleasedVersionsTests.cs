using System.Text.Json;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

/// <summary>
/// A version of a scenario, once released, keeps its content: a bank that upgrades has it published already, and its
/// Host refuses to start on a changed version 1. <c>released-definitions.json</c> beside this test holds the content hash
/// of every version released from <c>definitions/</c>; a changed definition needs a new version, and a new version a line there.
/// </summary>
public sealed class ReleasedVersionsTests
{
    private static readonly string Root = EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory);

    [Fact]
    public void every_definition_in_the_folder_has_the_content_its_version_was_released_with()
    {
        var released = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Root, "tests", "VirtualBranch.Tests", "Authoring", "released-definitions.json")))!;
        var wrong = new List<string>();
        foreach (var file in VirtualBranch.Engine.Definitions.DefinitionSchema.DefinitionFilesIn(Path.Combine(Root, "definitions")))
        {
            var definition = EngineKit.BankParser.Read(File.ReadAllText(file)).Definition.ShouldNotBeNull(file);
            var key = $"{definition.Id}@{definition.Version}";
            if (!released.TryGetValue(key, out var hash))
            {
                wrong.Add($"{key} is not in tests/VirtualBranch.Tests/Authoring/released-definitions.json: add \"{key}\": \"{definition.ContentHash}\"");
            }
            else if (hash != definition.ContentHash)
            {
                wrong.Add($"{Path.GetFileName(file)} changed the content of the released {key} (now {definition.ContentHash}): give it version {definition.Version + 1}");
            }
        }
        wrong.ShouldBeEmpty();
    }
}
