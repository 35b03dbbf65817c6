using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>Publishes a one-step flow with an assignment strategy.</summary>
internal static class AssignmentFlows
{
    public static async Task Publish(HostFixture host, string id, string strategy)
    {
        var json = new FlowBuilder(id).Activity("work", "human-task", new { form = new { type = "object" }, deadline = "PT1H" }).Activity("ok", "end")
            .Chain("start", "work", "ok").Json().Replace("\"variables\"", $"\"policies\":{{\"assignment\":\"{strategy}\"}},\"variables\"", StringComparison.Ordinal);
        var analyst = await host.ClientFor("analyst");
        (await analyst.PostAsync("/api/definitions", new StringContent(json, Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}

/// <summary>Each class has a database of its own, so one's queue never holds the other's cases.</summary>
public sealed class FirstComeAssignmentTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task next_case_is_first_come_and_a_taken_case_is_locked_to_its_teller()
    {
        await AssignmentFlows.Publish(host, "first-come-flow", "first-come");
        var supervisor = await host.ClientFor("supervisor");
        var older = await supervisor.OpenCase("first-come-flow", new { });
        var newer = await supervisor.OpenCase("first-come-flow", new { });
        var teller = await host.ClientFor("teller");
        var teller2 = await host.ClientFor("teller2");

        var mine = await (await teller.PostAsync("/api/queue/next", null)).Content.ReadFromJsonAsync<JsonElement>();
        mine.Id().ShouldBe(older.Id());
        var theirs = await (await teller2.PostAsync("/api/queue/next", null)).Content.ReadFromJsonAsync<JsonElement>();
        theirs.Id().ShouldBe(newer.Id());

        var before = await StreamSnapshot.Of(host.Database, older.Id());
        var locked = await (await teller2.Resume(older.Id(), "work.1", new { })).Problem(HttpStatusCode.Forbidden);
        locked.GetProperty("detail").GetString()!.ShouldContain("worked by teller");
        (await StreamSnapshot.Of(host.Database, older.Id())).ShouldBe(before);
        (await teller.Resume(older.Id(), "work.1", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var queue = await supervisor.GetFromJsonAsync<JsonElement>("/api/cases?assignee=teller2");
        queue.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([newer.Id()]);
        (await teller.PostAsync("/api/queue/next", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class RoundRobinAssignmentTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task round_robin_cases_go_to_the_tellers_in_turn_and_random_ones_are_assigned_with_their_strategy()
    {
        await AssignmentFlows.Publish(host, "round-robin-flow", "round-robin");
        var supervisor = await host.ClientFor("supervisor");
        var assignees = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var opened = await supervisor.OpenCase("round-robin-flow", new { });
            var events = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{opened.Id()}/events");
            var assignedEvent = events.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "case_assigned");
            assignedEvent.GetProperty("version").GetInt64().ShouldBe(2, "assigned in the opening's own append, right after case_opened");
            events.EnumerateArray().Max(e => e.GetProperty("version").GetInt64()).ShouldBe(opened.GetProperty("version").GetInt64(),
                "the opening's answer is the case as assigned: no second command followed it");
            var assigned = assignedEvent.GetProperty("data");
            assigned.GetProperty("Strategy").GetString().ShouldBe("round-robin");
            assigned.GetProperty("AssignedBy").GetString().ShouldBe("assignment");
            assignees.Add(assigned.GetProperty("Assignee").GetString()!);
        }
        assignees.Distinct().Order().ShouldBe(["teller", "teller2"]);
        assignees.Zip(assignees.Skip(1)).ShouldAllBe(pair => pair.First != pair.Second, "each case goes to the next teller");

        await AssignmentFlows.Publish(host, "random-flow", "random");
        var waiting = await supervisor.OpenCase("random-flow", new { });
        var taken = await (await (await host.ClientFor("teller2")).PostAsync("/api/queue/next", null)).Content.ReadFromJsonAsync<JsonElement>();
        taken.Id().ShouldBe(waiting.Id(), "the only unassigned case is the random-flow one");
        var log = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{waiting.Id()}/events");
        log.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "case_assigned").GetProperty("data").GetProperty("Strategy").GetString().ShouldBe("random");
    }
}
