using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>A recording may grow only to its scenario's <c>policies.maxRecordingBytes</c>.</summary>
public sealed class RecordingLimitTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task a_chunk_past_the_scenarios_recording_limit_gets_413_and_leaves_the_stream_unchanged()
    {
        var recordingBytes = TestMedia.Webm(seconds: 3).Length;
        await PublishPasswordResetCappedAt(recordingBytes);
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        await driver.RunToEndAsync(stopBeforeStep: "identity");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        byte[] chunk = [1];
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/recordings/{driver.RecordingId}/chunks/{driver.Recording.Chunk(1000).Count()}") { Content = new ByteArrayContent(chunk) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        request.Headers.Add("Content-Digest", TestMedia.Digest(chunk));

        var refused = await (await driver.Customer.SendAsync(request)).Problem(HttpStatusCode.RequestEntityTooLarge);

        refused.GetProperty("detail").GetString()!.ShouldContain($"{recordingBytes:N0} bytes");
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);
    }

    private async Task PublishPasswordResetCappedAt(long bytes)
    {
        var path = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "definitions", "password-reset.json");
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        definition["version"] = definition["version"]!.GetValue<int>() + 1;
        definition["policies"]!["maxRecordingBytes"] = bytes;
        var analyst = await host.ClientFor("analyst");
        var published = await analyst.PostAsync("/api/definitions", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
    }
}
