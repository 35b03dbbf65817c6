using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>
/// A recording is made of segments: a new recorder (a reloaded page) continues it as the next segment, the seal lists each
/// with its times and the gap before it, and a recording that holds no media does not pass as recorded.
/// </summary>
public sealed class RecordingSegmentTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    [Fact]
    public async Task a_recording_with_no_media_fails_its_seal_with_a_plain_reason_and_the_case_does_not_go_on()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        driver.UploadsRecording = false;
        var body = await driver.RunToEndAsync();

        body.GetProperty("status").GetString().ShouldBe("faulted");
        var fault = body.GetProperty("fault");
        fault.GetProperty("stepId").GetString().ShouldBe("stop-recording");
        fault.GetProperty("error").GetString()!.ShouldContain("holds no media");
        var events = (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray().ToList();
        events.ShouldNotContain(e => e.GetProperty("type").GetString() == "recording_sealed");
    }

    [Fact]
    public async Task a_second_recorder_continues_as_the_next_segment_and_the_seal_lists_both_with_the_gap()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var recording = driver.RecordingId!.Value;
        var opened = await (await driver.Teller.PostAsync($"/api/recordings/{recording}/segments", null)).Content.ReadFromJsonAsync<JsonElement>();
        opened.GetProperty("segment").GetInt32().ShouldBe(1, "segment 0 holds the first recorder's chunks");
        var second = TestMedia.Webm(seconds: 2, seed: 3);
        var parts = second.Chunk(700).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            var stored = await driver.Teller.SendAsync(TestMedia.ChunkRequest($"/api/recordings/{recording}/segments/1/chunks/{i}", parts[i]));
            stored.StatusCode.ShouldBe(HttpStatusCode.OK, await stored.Content.ReadAsStringAsync());
        }
        (await driver.Teller.SendAsync(TestMedia.ChunkRequest($"/api/recordings/{recording}/segments/2/chunks/0", parts[0]))).StatusCode.ShouldBe(HttpStatusCode.Conflict, "segment 2 was never opened");

        var closed = await driver.RunToEndAsync();
        closed.GetProperty("status").GetString().ShouldBe("completed");
        var supervisor = await host.ClientFor("supervisor");
        var events = (await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events")).EnumerateArray().ToList();
        var seal = events.Single(e => e.GetProperty("type").GetString() == "recording_sealed").GetProperty("data");
        var segments = seal.GetProperty("Segments").EnumerateArray().ToList();
        segments.Select(s => s.GetProperty("Segment").GetInt32()).ShouldBe([0, 1]);
        segments[0].GetProperty("GapBeforeMs").GetInt64().ShouldBe(0);
        (segments[1].GetProperty("StartedAt").GetDateTimeOffset() >= segments[0].GetProperty("EndedAt").GetDateTimeOffset()).ShouldBeTrue();
        seal.GetProperty("Chunks").GetInt32().ShouldBe(driver.Recording.Chunk(1000).Count() + parts.Count, "no chunk lost");
        var played = await supervisor.GetByteArrayAsync($"/api/recordings/{recording}?segment=1");
        played.ShouldBe(second);
        (await supervisor.GetAsync($"/api/recordings/{recording}?segment=2")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();
    }
}

/// <summary>A recorder that says it sent more than arrived: the seal refuses to pass the recording as whole.</summary>
public sealed class IncompleteRecordingTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task a_segment_whose_recorder_sent_more_chunks_than_arrived_fails_the_seal_as_incomplete()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var sent = driver.Recording.Chunk(1000).Count();
        (await (await driver.Teller.PostAsJsonAsync($"/api/recordings/{driver.RecordingId}/segments/0/end", new { })).Problem(System.Net.HttpStatusCode.BadRequest))
            .GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/chunks");
        (await driver.Teller.PostAsJsonAsync($"/api/recordings/{driver.RecordingId}/segments/0/end", new { chunks = sent + 2 })).EnsureSuccessStatusCode();

        var body = await driver.RunToEndAsync();

        body.GetProperty("status").GetString().ShouldBe("faulted");
        body.GetProperty("fault").GetProperty("error").GetString()!.ShouldContain($"segment 1: {sent + 2} chunks sent, {sent} arrived");
    }
}

/// <summary>The test's WebM reader reads what it must: the tracks of a file whose layout is known.</summary>
public sealed class WebmTracksTests
{
    [Fact]
    public void the_track_list_of_a_known_webm_is_one_16_by_16_vp8_video_track()
    {
        WebmTracks.Read(TestMedia.Webm(seconds: 2)).ShouldBe([new WebmTrack(1, "V_VP8", 16, 16)]);
        Should.Throw<InvalidDataException>(() => WebmTracks.Read(TestMedia.Png(1)));
    }
}
