using Shouldly;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Diagrams;
using VirtualBranch.Host.Definitions;
using VirtualBranch.Tests.Banking;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

[Collection(BrowserCollection.Name)]
public sealed class DiagramTests(BrowserFixture browser)
{
    public static TheoryData<string> Definitions => [.. DefinitionSchema.DefinitionFilesIn(ScenarioDefinitionTests.Folder).Select(f => Path.GetFileNameWithoutExtension(f)!)];

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task every_scenario_diagram_lays_out_without_overlaps_and_renders_in_chromium(string id)
    {
        var definition = EngineKit.BankParser.Read(File.ReadAllText(Path.Combine(ScenarioDefinitionTests.Folder, $"{id}.json"))).Definition.ShouldNotBeNull();
        var layout = DiagramLayout.Of(definition);
        layout.Boxes.Count.ShouldBe(definition.Activities.Count);
        foreach (var (a, i) in layout.Boxes.Select((b, i) => (b, i)))
        {
            foreach (var b in layout.Boxes.Skip(i + 1))
            {
                a.Overlaps(b).ShouldBeFalse($"{a.Activity.Id} overlaps {b.Activity.Id}");
            }
            (a.X >= 0 && a.Y >= 0 && a.X + a.Width <= layout.Width && a.Y + a.Height <= layout.Height).ShouldBeTrue($"{a.Activity.Id} leaves the drawing");
        }
        foreach (var edge in layout.Edges.Where(e => !e.Backwards))
        {
            layout.Box(edge.Connection.To).Layer.ShouldBeGreaterThan(layout.Box(edge.Connection.From).Layer, "forward arrows point down");
        }

        var svg = DiagramsApi.Render(definition, EngineKit.Get<ActivityRegistry>(), new HashSet<string> { "identity" }, new HashSet<string>());
        var page = await browser.Browser.NewPageAsync();
        await page.SetContentAsync($"<!doctype html><html lang=\"zh\"><body style=\"margin:0\">{svg}</body></html>");
        (await page.Locator("g.node").CountAsync()).ShouldBe(definition.Activities.Count);
        var widths = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('g.node rect')].map(r => r.getBBox().width)");
        widths.ShouldAllBe(w => w > 100);
        var labels = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('g.edge text')].map(t => t.textContent)");
        labels.Length.ShouldBe(definition.Connections.Count);
        await page.ScreenshotAsync(new() { Path = PageSteps.Shot($"diagram-{id}"), FullPage = true });
        await page.CloseAsync();
    }
}
