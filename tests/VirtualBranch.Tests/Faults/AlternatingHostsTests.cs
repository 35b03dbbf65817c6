using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// Two Host processes on one database, a case worked across both as a load balancer would spread it: the analyst
/// publishes a scenario on one and the teller opens a case of it on the other; the teller works on the first, the
/// customer joins, confirms and uploads on the second. Nothing a Host keeps to itself is needed by the other.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class AlternatingHostsTests(TwoHostProcesses hosts) : IClassFixture<TwoHostProcesses>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private const string Scenario = "two-host-service";

    private static string Definition() => new FlowBuilder(Scenario)
        .Inputs("""{ "type": "object", "required": ["customerName", "mobile"], "properties": { "customerName": { "type": "string" }, "mobile": { "type": "string", "format": "cn-mobile" } } }""")
        .Activity("review", "human-task", new { form = new { type = "object", properties = new { ok = new { type = "boolean" } } }, deadline = "PT1H" })
        .Activity("consent", "human-task", new { role = "customer", form = new { type = "object", properties = new { agree = new { type = "boolean" } } }, deadline = "PT1H" })
        .Activity("papers", "document-collection", new { checklist = new[] { new { kind = "id-card", required = true, mediaTypes = new[] { "image/png" } } } })
        .Activity("done", "end")
        .Chain("start", "review", "consent", "papers", "done").Json();

    private HttpClient On(int host, string? token = null)
    {
        var client = new HttpClient { BaseAddress = hosts.Address(host) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    [Fact]
    public async Task a_case_published_opened_and_worked_across_two_host_processes_completes_and_verifies()
    {
        var definition = Definition();
        using var analyst = On(0, await hosts.TokenFor("analyst"));
        var published = await analyst.PostAsync("/api/definitions", new StringContent(definition, System.Text.Encoding.UTF8, "application/json"), Cancellation);
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync(Cancellation));

        var tellerToken = await hosts.TokenFor("teller");
        using var tellerA = On(0, tellerToken);
        using var tellerB = On(1, tellerToken);
        // Host B learns of the version through the database's notification, not a restart: open there once it has it.
        var opening = await Eventually.Until(async () => await tellerB.PostAsJsonAsync("/api/cases",
                new { definitionId = Scenario, data = new { customerName = "张三", mobile = "13800138000" } }, Cancellation),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30), r => $"Host B never served {Scenario}: {(int)r.StatusCode}");
        var opened = await opening.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var caseId = opened.Id();

        (await tellerA.PostAsJsonAsync($"/api/cases/{caseId}/bookmarks/review.1", new { input = new { ok = true } }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tellerA.PostAsync($"/api/cases/{caseId}/customer-link", null, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var phone = new CustomerPhone(hosts.DataDirectory, () => On(1));
        using var customer = await phone.OpenLinkAsync(caseId);
        var consent = await phone.ConfirmAsync(customer, caseId, "consent.1", new { agree = true });
        consent.StatusCode.ShouldBe(HttpStatusCode.OK, await consent.Content.ReadAsStringAsync(Cancellation));

        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("id-card"), "kind");
        var png = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[256]]);
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "file", "id-card.png");
        var uploaded = await customer.PostAsync($"/api/cases/{caseId}/documents", form, Cancellation);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync(Cancellation));

        // Read back on the Host that did none of the customer's part.
        var final = await tellerA.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}", Cancellation);
        final.GetProperty("status").GetString().ShouldBe("completed", final.ToString());
        using var supervisor = On(0, await hosts.TokenFor("supervisor"));
        var verified = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/verify", Cancellation);
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue(verified.ToString());
    }
}
