using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Tests.Support;

/// <summary>Publishes a shipped scenario with a change, as its next version, the way an analyst would.</summary>
public static class ScenarioVariants
{
    public static async Task PublishAsync(HostFixture host, string definitionId, Action<JsonObject> change)
    {
        var path = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "definitions", $"{definitionId}.json");
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        definition["version"] = host.Services.GetRequiredService<DefinitionCatalog>().Latest(definitionId)!.Version + 1;
        change(definition);
        var analyst = await host.ClientFor("analyst");
        var published = await analyst.PostAsync("/api/definitions", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
    }
}
