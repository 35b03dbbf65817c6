using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>The Host on a clock the tests move forward.</summary>
public sealed class ShiftedClockHostFixture : HostFixture
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>
    /// No scheduled checkpoints: the Host's timestamp authority follows the moved clock while the checkpoint's own time is
    /// the database's, so one written while a test has the clock moved would be stamped in the future. Tests write theirs.
    /// </summary>
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [VirtualBranch.Host.Integrity.Checkpoints.CheckpointService.IntervalKey] = "0" };
}

/// <summary>A recording may grow only to its scenario's <c>policies.maxRecordingBytes</c>, run only for its <c>maxRecordingMinutes</c>, and must be a WebM.</summary>
public sealed class RecordingLimitTests(ShiftedClockHostFixture host) : IClassFixture<ShiftedClockHostFixture>
{
    [Fact]
    public async Task a_chunk_past_the_scenarios_recording_limit_gets_413_and_leaves_the_stream_unchanged()
    {
        var recordingBytes = TestMedia.Webm(seconds: 3).Length;
        await ScenarioVariants.PublishAsync(host, "password-reset", d => d["policies"]!["maxRecordingBytes"] = recordingBytes);
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        byte[] chunk = [1];
        var request = TestMedia.ChunkRequest(driver.RecordingId!.Value, driver.Recording.Chunk(1000).Count(), chunk);

        var refused = await (await driver.Customer.SendAsync(request)).Problem(HttpStatusCode.RequestEntityTooLarge);

        refused.GetProperty("detail").GetString()!.ShouldContain($"{recordingBytes:N0} bytes");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
    }

    [Fact]
    public async Task a_chunk_after_the_scenarios_recording_time_gets_413_and_a_first_chunk_that_is_no_webm_gets_400()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        var next = driver.Recording.Chunk(1000).Count();
        var chunk = TestMedia.Webm(seconds: 1, seed: 5);

        host.Clock.Advance(RecordingLimits.DefaultMaxDuration + TimeSpan.FromMinutes(1));
        var late = await (await driver.Customer.SendAsync(TestMedia.ChunkRequest(driver.RecordingId!.Value, next, chunk))).Problem(HttpStatusCode.RequestEntityTooLarge);
        late.GetProperty("title").GetString().ShouldBe("Recording too long");
        late.GetProperty("detail").GetString()!.ShouldContain("at most 180 minutes");

        var page = "<html><script>alert(1)</script></html>"u8.ToArray();
        var notWebm = await (await driver.Customer.SendAsync(TestMedia.ChunkRequest(driver.RecordingId!.Value, 0, page))).Problem(HttpStatusCode.BadRequest);
        notWebm.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("body");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
    }

    [Fact]
    public async Task a_recording_that_breaks_off_longer_than_the_scenario_allows_is_a_disruption_of_the_video_session()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "王五", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        host.Clock.Advance(RecordingLimits.DefaultMaxGap + TimeSpan.FromMinutes(1));

        var opened = await driver.Teller.PostAsync($"/api/recordings/{driver.RecordingId}/segments", null);

        opened.StatusCode.ShouldBe(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        var events = (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray();
        var disrupted = events.Single(e => e.GetProperty("type").GetString() == "session_disrupted").GetProperty("data");
        disrupted.GetProperty("Kind").GetString().ShouldBe("recording-gap");
        disrupted.GetProperty("Detail").GetString()!.ShouldContain("the scenario allows 30 s");
    }
}
