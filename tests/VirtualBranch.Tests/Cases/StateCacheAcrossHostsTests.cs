using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>
/// Two Hosts on one database, each with its own state cache: a case moved on by Host B and then commanded on Host A, whose
/// cache holds the older state. The stale entry costs a reload, never a wrong refusal or a second append.
/// </summary>
public sealed class StateCacheAcrossHostsTests(HostFixture host) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private HttpClient _tellerA = null!;
    private HttpClient _tellerB = null!;

    public async ValueTask InitializeAsync()
    {
        await (await host.ClientFor("analyst")).Publish(FlowBuilder.Asks("two-asks", 1, "first", "second")); // 409 after the first test: already there
        _tellerA = await host.ClientFor("teller");
        _tellerB = host.StartAnotherHost().CreateClient();
        _tellerB.DefaultRequestHeaders.Authorization = _tellerA.DefaultRequestHeaders.Authorization;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A case opened on A (so A caches it) and moved past its first step on B: A's cache is now behind.</summary>
    private async Task<(Guid Id, JsonElement OnB, long CachedOnA)> MovedOnByTheOtherHost()
    {
        var opened = await _tellerA.OpenCase("two-asks", new { });
        var onB = await _tellerB.ResumeOk(opened.Id(), opened.Bookmark("first"), new { answer = "from B" });
        var cachedOnA = host.Services.GetRequiredService<CaseStateCache>().Get(opened.Id())!.State.Version;
        cachedOnA.ShouldBeLessThan(onB.GetProperty("version").GetInt64(), "A still holds the state from before B's command");
        return (opened.Id(), onB, cachedOnA);
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> Stream(Guid id)
    {
        await using var session = host.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: TestContext.Current.CancellationToken);
        events.Select(e => e.Version).ShouldBe(Enumerable.Range(1, events.Count).Select(v => (long)v), "versions without gaps or repeats");
        return events;
    }

    [Fact]
    public async Task a_step_waiting_only_since_the_other_host_moved_the_case_is_resumed_once_on_the_stale_host()
    {
        var (id, onB, _) = await MovedOnByTheOtherHost();

        var done = await _tellerA.ResumeOk(id, onB.Bookmark("second"), new { answer = "from A" });

        done.GetProperty("status").GetString().ShouldBe("completed");
        var events = await Stream(id);
        events.Count(e => e.Data is StepTransition { StepId: "second", Resumed: not null }).ShouldBe(1, "one resume, carried by the step's event");
        events.Count(e => e.Data is StepTransition { StepId: "first", Resumed: not null }).ShouldBe(1, "one resume, carried by the step's event");
        done.GetProperty("version").GetInt64().ShouldBe(events[^1].Version);
    }

    [Fact]
    public async Task a_cancel_decided_on_the_stale_state_is_decided_again_on_the_latest_and_appended_once()
    {
        var (id, onB, _) = await MovedOnByTheOtherHost();

        var cancelled = await _tellerA.PostAsJsonAsync($"/api/cases/{id}/cancel", new { reason = "customer left" }, TestContext.Current.CancellationToken);

        var body = await cancelled.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        cancelled.IsSuccessStatusCode.ShouldBeTrue(body.ToString());
        var events = await Stream(id);
        var cancel = events.Single(e => e.Data is CaseCancelled);
        cancel.Version.ShouldBe(onB.GetProperty("version").GetInt64() + 1, "appended right after B's command");
        (await _tellerA.GetCase(id)).GetProperty("version").GetInt64().ShouldBe(events[^1].Version);
    }

    [Fact]
    public async Task a_read_on_the_stale_host_shows_what_the_other_host_appended()
    {
        var (id, onB, _) = await MovedOnByTheOtherHost();

        var read = await _tellerA.GetCase(id);

        read.GetProperty("version").GetInt64().ShouldBe(onB.GetProperty("version").GetInt64());
        read.Bookmark("second").ShouldBe(onB.Bookmark("second"));
    }
}
