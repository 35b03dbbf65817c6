using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

public sealed class PublishingTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Flow(int version, string message) => new FlowBuilder("analyst-flow", version)
        .Activity("ask", "human-task", new { form = new { type = "object" }, deadline = "PT1H" })
        .Activity("say", "note", new { message }).Activity("ok", "end").Chain("start", "ask", "say", "ok").Json();

    [Fact]
    public async Task validate_reports_every_problem_in_the_language_asked_for()
    {
        var analyst = await host.ClientFor("analyst");
        var broken = new FlowBuilder("x").Activity("d", "decision", new { condition = "((" }).Activity("island", "end").Connect("start", "done", "d").Json();
        var english = await (await analyst.PostAsync("/api/definitions/validate", Json(broken))).Content.ReadFromJsonAsync<JsonElement>();
        english.GetProperty("valid").GetBoolean().ShouldBeFalse();
        english.GetProperty("problems").GetArrayLength().ShouldBe(2);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/definitions/validate") { Content = Json(broken) };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9");
        var chinese = await (await analyst.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        chinese.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()).ShouldContain(m => m!.Contains("表达式无法解析"));
        var huge = await analyst.PostAsync("/api/definitions/validate", Json(new string(' ', 5_000_000)));
        (await huge.Problem(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!.ShouldContain("at most");
    }

    [Fact]
    public async Task publishing_keeps_every_version_refuses_overwrites_and_running_cases_keep_theirs()
    {
        var analyst = await host.ClientFor("analyst");
        var teller = await host.ClientFor("teller");
        (await teller.PostAsync("/api/definitions", Json(Flow(1, "v1")))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var published = await analyst.PostAsync("/api/definitions", Json(Flow(1, "v1")));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        (await (await analyst.PostAsync("/api/definitions", Json(Flow(1, "changed")))).Problem(HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("other content");
        var invalid = await (await analyst.PostAsync("/api/definitions", Json(Flow(2, "v2").Replace("\"note\"", "\"notee\"")))).Problem(HttpStatusCode.BadRequest);
        invalid.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("$.activities[2].type");

        var running = await teller.OpenCase("analyst-flow", new { });
        (await analyst.PostAsync("/api/definitions", Json(Flow(2, "v2")))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var versions = await analyst.GetFromJsonAsync<JsonElement>("/api/definitions/analyst-flow/versions");
        versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ShouldBe([1, 2]);
        var diff = await analyst.GetFromJsonAsync<JsonElement>("/api/definitions/analyst-flow/diff?from=1&to=2");
        diff.GetProperty("activitiesChanged").EnumerateArray().Select(a => a.GetString()).ShouldBe(["say"]);
        diff.GetProperty("activitiesAdded").GetArrayLength().ShouldBe(0);

        var done = await teller.ResumeOk(running.Id(), running.Bookmark("ask"), new { });
        done.GetProperty("definitionVersion").GetInt32().ShouldBe(1);
        var events = await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{running.Id()}/events");
        events.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "note_recorded").GetProperty("data").GetProperty("Message").GetString().ShouldBe("v1");
        (await teller.OpenCase("analyst-flow", new { })).GetProperty("definitionVersion").GetInt32().ShouldBe(2);
    }
}
