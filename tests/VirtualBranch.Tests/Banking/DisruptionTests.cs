using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Banking;

/// <summary>The Host with no grace after the customer leaves the video room: a departure is a disruption at once.</summary>
public sealed class NoGraceHostFixture : HostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Media:DisruptionGraceSeconds"] = "0" };
}

/// <summary>
/// A disrupted video session, through the Host: the customer's connection to the room drops mid-willingness and the loan
/// scenario's <c>restart</c> takes the case back to the identity check; under <c>abort</c> it ends declined with the
/// recording sealed. Every refusal leaves the stream as it was.
/// </summary>
public sealed class DisruptionTests(NoGraceHostFixture host) : IClassFixture<NoGraceHostFixture>
{
    private static readonly object Loan = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 200000, termMonths = 36 };

    private Task PublishLoanWith(string policy) => ScenarioVariants.PublishAsync(host, "loan-face-signing",
        d => d["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "video")!["inputs"]!["dropPolicy"] = policy);

    private async Task<List<JsonElement>> EventsAsync(Guid caseId) =>
        [.. (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/events")).EnumerateArray()];

    [Fact]
    public async Task the_customer_leaving_the_room_mid_willingness_restarts_the_identity_check_under_restart()
    {
        await PublishLoanWith("restart"); // as the scenario ships; the other test publishes abort
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        await driver.RunToEndAsync(stopBeforeStep: "willingness");
        var token = driver.Customer.DefaultRequestHeaders.Authorization!.Parameter!;
        var client = host.Factory.Server.CreateWebSocketClient();
        using (var socket = await client.ConnectAsync(new Uri($"ws://localhost/api/cases/{driver.CaseId}/room?access_token={Uri.EscapeDataString(token)}"), TestContext.Current.CancellationToken))
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "the phone lost its network", TestContext.Current.CancellationToken);
        }

        var back = await Eventually.Until(() => driver.Teller.GetCase(driver.CaseId),
            body => body.GetProperty("waiting").EnumerateArray().Any(w => w.GetProperty("stepId").GetString() == "identity"),
            TimeSpan.FromSeconds(30), body => $"the case did not go back to the identity check: {body}");
        back.GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("bookmarkId").GetString()).ShouldBe(["identity.2"]);
        var events = await EventsAsync(driver.CaseId);
        var disrupted = events.Single(e => e.GetProperty("type").GetString() == "session_disrupted").GetProperty("data");
        (disrupted.GetProperty("Kind").GetString(), disrupted.GetProperty("Policy").GetString(), disrupted.GetProperty("GoneTo").GetString())
            .ShouldBe(("customer-left", "restart", "identity"));
        disrupted.GetProperty("Superseded").EnumerateArray().Select(s => s.GetString()).ShouldBe(["identity", "willingness"]);
        events.Single(e => e.GetProperty("type").GetString() == "step_abandoned").GetProperty("data").GetProperty("StepId").GetString().ShouldBe("willingness");

        var timeline = await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/timeline");
        timeline.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("what").GetString()).ShouldContain(w => w!.Contains("Video session disrupted (customer-left)", StringComparison.Ordinal));
        (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed", "identity and willingness answered again, the case goes on");
        (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task a_failed_call_under_abort_ends_the_case_declined_with_the_recording_sealed()
    {
        await PublishLoanWith("abort");
        var driver = await ScenarioDriver.OpenAsync(host, "loan-face-signing", Loan);
        await driver.RunToEndAsync(stopBeforeStep: "willingness");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);
        (await (await driver.Teller.PostAsJsonAsync($"/api/cases/{driver.CaseId}/disruptions", new { kind = "lost" })).Problem(HttpStatusCode.BadRequest))
            .GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/kind");
        (await (await driver.Teller.PostAsJsonAsync($"/api/cases/{driver.CaseId}/disruptions", new { kind = "connection-failed", detail = new string('x', 1001) }))
            .Problem(HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/detail");
        (await (await host.ClientFor("regulator")).PostAsJsonAsync($"/api/cases/{driver.CaseId}/disruptions", new { kind = "connection-failed" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await driver.Customer.PostAsJsonAsync($"/api/cases/{driver.CaseId}/disruptions", new { kind = "connection-failed" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);

        var reported = await driver.Teller.PostAsJsonAsync($"/api/cases/{driver.CaseId}/disruptions", new { kind = "connection-failed", detail = "ICE failed" });
        reported.StatusCode.ShouldBe(HttpStatusCode.OK, await reported.Content.ReadAsStringAsync());
        var closed = await driver.RunToEndAsync();
        closed.GetProperty("status").GetString().ShouldBe("declined");
        var events = await EventsAsync(driver.CaseId);
        events.Single(e => e.GetProperty("type").GetString() == "session_disrupted").GetProperty("data").GetProperty("GoneTo").GetString().ShouldBe("stop-recording-declined");
        events.ShouldContain(e => e.GetProperty("type").GetString() == "recording_sealed");
    }
}
