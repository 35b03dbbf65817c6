using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Customers;

/// <summary>
/// Only the customer acts as the customer: the link goes to the registered mobile (the local outbox), staff never see its
/// code and cannot redeem it, opening it needs a one-time code, a new link ends the old one's sessions, and a consent
/// needs a fresh code. Every refusal leaves the case's stream as it was.
/// </summary>
public sealed class CustomerLinkTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    private CustomerPhone Phone => new(host);

    private async Task<(HttpClient Teller, Guid CaseId)> SentAsync()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        (await teller.PostAsync($"/api/cases/{caseId}/customer-link", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (teller, caseId);
    }

    private async Task<List<JsonElement>> EventsAsync(Guid caseId) =>
        [.. (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/events")).EnumerateArray()];

    [Fact]
    public async Task the_link_goes_to_the_registered_mobile_and_the_teller_learns_only_where_it_went()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var response = await teller.PostAsync($"/api/cases/{caseId}/customer-link", null);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        body.GetProperty("sentTo").GetString().ShouldBe("138****8000");
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["linkId", "sentTo", "channel", "expiresAt"], ignoreOrder: true);

        var message = Phone.Latest(caseId, "link");
        message.To.ShouldBe("13800138000");
        text.ShouldNotContain(CustomerPhone.CodeIn(message.Url!));
        var events = await EventsAsync(caseId);
        var issued = events.Single(e => e.GetProperty("type").GetString() == "customer_link_issued").GetProperty("data");
        issued.GetProperty("IssuedBy").GetString().ShouldBe("teller");
        issued.GetProperty("To").GetString().ShouldBe("138****8000");
        events.Single(e => e.GetProperty("type").GetString() == "customer_link_delivered").GetProperty("data").GetProperty("Reference").GetString().ShouldBe(message.Reference);
        string.Join('\n', events.Select(e => e.ToString())).ShouldNotContain(CustomerPhone.CodeIn(message.Url!), customMessage: "the code is in no event");
    }

    [Fact]
    public async Task staff_cannot_open_a_customer_link_even_with_its_code_and_nothing_is_recorded()
    {
        var (teller, caseId) = await SentAsync();
        var code = Phone.LinkCode(caseId); // as if the teller had looked over the customer's shoulder
        var before = await StreamSnapshot.Of(host.Database, caseId);
        foreach (var staff in new[] { teller, await host.ClientFor("supervisor") })
        {
            (await (await staff.PostAsJsonAsync("/api/customer/code", new { caseId, code })).Problem(HttpStatusCode.Forbidden))
                .GetProperty("title").GetString().ShouldBe("Staff cannot open a customer link");
            await (await staff.PostAsJsonAsync("/api/customer/session", new { caseId, code, otp = "123456" })).Problem(HttpStatusCode.Forbidden);
        }
        (await StreamSnapshot.Of(host.Database, caseId)).ShouldBe(before);
        Phone.Messages.Count(m => m.CaseId == caseId && m.Kind == "code").ShouldBe(0, "no code was sent for a staff request");
    }

    [Fact]
    public async Task opening_the_link_needs_the_code_sent_to_the_phone_and_wrong_codes_run_out()
    {
        var (_, caseId) = await SentAsync();
        var code = Phone.LinkCode(caseId);
        var anonymous = host.CreateClient();
        var incomplete = await (await anonymous.PostAsJsonAsync("/api/customer/code", new { })).Problem(HttpStatusCode.BadRequest);
        incomplete.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe(["/caseId", "/code"]);
        var missing = await (await anonymous.PostAsJsonAsync("/api/customer/session", new { caseId, code })).Problem(HttpStatusCode.BadRequest);
        missing.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/otp");
        (await anonymous.PostAsJsonAsync("/api/customer/code", new { caseId, code })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var sent = Phone.Latest(caseId, "code").Code!;
        var wrong = sent == "000000" ? "000001" : "000000";
        var before = await StreamSnapshot.Of(host.Database, caseId);
        for (var left = 4; left >= 0; left--)
        {
            var problem = await (await anonymous.PostAsJsonAsync("/api/customer/session", new { caseId, code, otp = wrong })).Problem(HttpStatusCode.BadRequest);
            problem.GetProperty("errors")[0].GetProperty("message").GetString()!.ShouldContain($"{left} tr");
        }
        await (await anonymous.PostAsJsonAsync("/api/customer/session", new { caseId, code, otp = sent })).Problem(HttpStatusCode.TooManyRequests);
        (await StreamSnapshot.Of(host.Database, caseId)).ShouldBe(before, "wrong codes open nothing and record nothing");

        (await anonymous.PostAsJsonAsync("/api/customer/code", new { caseId, code })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var opened = await anonymous.PostAsJsonAsync("/api/customer/session", new { caseId, code, otp = Phone.Latest(caseId, "code").Code });
        opened.StatusCode.ShouldBe(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        var redeemed = (await EventsAsync(caseId)).Single(e => e.GetProperty("type").GetString() == "customer_link_redeemed");
        redeemed.GetProperty("data").GetProperty("Method").GetString().ShouldBe("one-time code via local-outbox");
        (await (await anonymous.PostAsJsonAsync("/api/customer/code", new { caseId, code })).Problem(HttpStatusCode.Conflict))
            .GetProperty("title").GetString().ShouldBe("Link already used");
    }

    [Fact]
    public async Task a_new_link_ends_the_sessions_of_the_old_one_and_a_revoked_link_ends_its_own()
    {
        var (teller, caseId) = await SentAsync();
        var oldCode = Phone.LinkCode(caseId);
        var customer = await Phone.OpenLinkAsync(caseId);
        (await customer.GetAsync($"/api/cases/{caseId}/customer")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await teller.PostAsync($"/api/cases/{caseId}/customer-link", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await customer.GetAsync($"/api/cases/{caseId}/customer")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await host.CreateClient().PostAsJsonAsync("/api/customer/code", new { caseId, code = oldCode })).Problem(HttpStatusCode.Gone))
            .GetProperty("title").GetString().ShouldBe("Link replaced");

        var second = await Phone.OpenLinkAsync(caseId);
        (await second.GetAsync($"/api/cases/{caseId}/customer")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var cache = host.Services.GetRequiredService<CaseStateCache>();
        var beforeRevocation = cache.Get(caseId)!;
        (await teller.PostAsJsonAsync($"/api/cases/{caseId}/customer-link/revoke", new { reason = "客户报告手机丢失 / phone lost" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        cache.Put(beforeRevocation); // as on a Host that has not seen the revocation yet
        (await second.GetAsync($"/api/cases/{caseId}/customer")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var revoked = (await EventsAsync(caseId)).Where(e => e.GetProperty("type").GetString() == "customer_link_revoked").Select(e => e.GetProperty("data")).ToList();
        revoked.Select(r => r.GetProperty("Reason").GetString()).ShouldBe(["A new link was issued.", "客户报告手机丢失 / phone lost"]);
    }

    [Fact]
    public async Task a_consent_counts_only_with_a_fresh_code_from_the_phone()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        await driver.RunToEndAsync(stopBeforeStep: "recording");
        var bookmark = (await driver.Teller.GetCase(driver.CaseId)).Bookmark("recording");
        var before = await StreamSnapshot.Of(host.Database, driver.CaseId);

        var unconfirmed = await (await driver.Customer.Resume(driver.CaseId, bookmark, new { consent = true })).Problem(HttpStatusCode.Forbidden);
        unconfirmed.GetProperty("title").GetString().ShouldBe("Confirm it is you");
        (await driver.Customer.PostAsync($"/api/cases/{driver.CaseId}/bookmarks/{bookmark}/confirmation", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = Phone.Latest(driver.CaseId, "code").Code!;
        var wrong = await (await driver.Customer.PostAsJsonAsync($"/api/cases/{driver.CaseId}/bookmarks/{bookmark}",
            new { input = new { consent = true }, confirmation = code == "999999" ? "999998" : "999999" })).Problem(HttpStatusCode.BadRequest);
        wrong.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/confirmation");
        (await driver.Teller.PostAsync($"/api/cases/{driver.CaseId}/bookmarks/{bookmark}/confirmation", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StreamSnapshot.Of(host.Database, driver.CaseId)).ShouldBe(before);

        var confirmed = await driver.Customer.PostAsJsonAsync($"/api/cases/{driver.CaseId}/bookmarks/{bookmark}", new { input = new { consent = true }, confirmation = code });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var events = await EventsAsync(driver.CaseId);
        var at = events.FindIndex(e => e.GetProperty("type").GetString() == "customer_confirmed");
        events[at].GetProperty("data").GetProperty("StepId").GetString().ShouldBe("recording");
        // The step's one event of this command carries the customer's resume (and the step's end).
        events[at + 1].GetProperty("type").GetString().ShouldBe("step_completed");
        events[at + 1].GetProperty("data").GetProperty("Resumed").GetProperty("BookmarkId").GetString().ShouldBe(bookmark);
    }

    [Fact]
    public async Task a_scenario_without_a_registered_mobile_sends_no_link_and_records_nothing()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("service-request", new { customerName = "张三", amount = 100 })).Id();
        var before = await StreamSnapshot.Of(host.Database, caseId);
        (await (await teller.PostAsync($"/api/cases/{caseId}/customer-link", null)).Problem(HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("cn-mobile");
        (await StreamSnapshot.Of(host.Database, caseId)).ShouldBe(before);
    }
}
