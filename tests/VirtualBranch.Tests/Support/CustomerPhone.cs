using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Host.Customers;

namespace VirtualBranch.Tests.Support;

/// <summary>
/// The customer's phone in tests: it reads what the Host's messenger sent to the local outbox (never the staff's API),
/// opens the link with the one-time code, and confirms the customer's own steps with a fresh code.
/// </summary>
public sealed class CustomerPhone(string dataDirectory, Func<HttpClient> clients)
{
    /// <summary>The phone of a test Host in this process.</summary>
    public CustomerPhone(HostFixture host) : this(host.DataDirectory, host.CreateClient)
    {
    }

    public IReadOnlyList<OutboxEntry> Messages => LocalOutboxMessenger.Read(Path.Combine(dataDirectory, "outbox"));

    /// <summary>The latest message of this kind (<c>link</c> or <c>code</c>) for the case.</summary>
    public OutboxEntry Latest(Guid caseId, string kind) => Messages.Last(m => m.CaseId == caseId && m.Kind == kind);

    /// <summary>The code in the latest link sent for the case.</summary>
    public string LinkCode(Guid caseId) => CodeIn(Latest(caseId, "link").Url!);

    public static string CodeIn(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["code"]!;

    /// <summary>The latest message of this kind sent to <paramref name="to"/> for the case (an invited participant's phone).</summary>
    public OutboxEntry Latest(Guid caseId, string kind, string to) => Messages.Last(m => m.CaseId == caseId && m.Kind == kind && m.To == to);

    /// <summary>Asks for the code that opens the link, and opens it: the customer's client, with its token.</summary>
    public async Task<HttpClient> OpenLinkAsync(Guid caseId, string? linkCode = null) => (await OpenSessionAsync(caseId, linkCode ?? LinkCode(caseId))).Client;

    /// <summary>Opens a link with the one-time code sent for it: the client with the session's token, and what the Host answered.</summary>
    public async Task<(HttpClient Client, JsonElement Session)> OpenSessionAsync(Guid caseId, string linkCode)
    {
        var anonymous = clients();
        var sent = await anonymous.PostAsJsonAsync("/api/customer/code", new { caseId, code = linkCode });
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var opened = await anonymous.PostAsJsonAsync("/api/customer/session", new { caseId, code = linkCode, otp = Latest(caseId, "code").Code });
        opened.StatusCode.ShouldBe(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        var session = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var client = clients();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return (client, session);
    }

    /// <summary>Answers a customer's step as the customer does: asks for a code, reads it, and sends the answer with it.</summary>
    public async Task<HttpResponseMessage> ConfirmAsync(HttpClient customer, Guid caseId, string bookmarkId, object input)
    {
        var sent = await customer.PostAsync($"/api/cases/{caseId}/bookmarks/{bookmarkId}/confirmation", null);
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        return await customer.PostAsJsonAsync($"/api/cases/{caseId}/bookmarks/{bookmarkId}", new { input, confirmation = Latest(caseId, "code").Code });
    }
}
