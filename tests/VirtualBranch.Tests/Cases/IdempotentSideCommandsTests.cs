using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Customers;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>
/// The commands beside the case's steps take an <c>Idempotency-Key</c> too: a retried link or invitation answers the link
/// its first use sent and sends no second message; a retried revocation, removal or legal hold answers as the first did
/// and records nothing more. A link the messenger never took is not sent on the retry (its code is kept only as a digest).
/// </summary>
public sealed class IdempotentSideCommandsTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private CustomerPhone Phone => new(host);

    private static async Task<(HttpStatusCode Status, string Body, bool Replayed)> SendKeyedAsync(HttpClient client, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation), response.Headers.Contains("Idempotent-Replayed"));
    }

    private Task<long> CountAsync(Guid caseId, string type) =>
        host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{caseId}' and type = '{type}'")!;

    [Fact]
    public async Task a_retried_customer_link_answers_the_link_it_sent_and_sends_no_second_message()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var key = Guid.NewGuid().ToString();

        var first = await SendKeyedAsync(teller, $"/api/cases/{caseId}/customer-link", null, key);
        var again = await SendKeyedAsync(teller, $"/api/cases/{caseId}/customer-link", null, key);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        (again.Status, again.Replayed).ShouldBe((HttpStatusCode.OK, true), again.Body);
        JsonSerializer.Deserialize<JsonElement>(again.Body).GetProperty("linkId").GetString()
            .ShouldBe(JsonSerializer.Deserialize<JsonElement>(first.Body).GetProperty("linkId").GetString());
        JsonSerializer.Deserialize<JsonElement>(again.Body).EnumerateObject().Select(p => p.Name).ShouldBe(["linkId", "sentTo", "channel", "expiresAt"]);
        (await CountAsync(caseId, "customer_link_issued")).ShouldBe(1L);
        Phone.Messages.Count(m => m.CaseId == caseId && m.Kind == "link").ShouldBe(1, "the customer got one link");

        var revoke = $"/api/cases/{caseId}/customer-link/revoke";
        var revokeKey = Guid.NewGuid().ToString();
        (await SendKeyedAsync(teller, revoke, new { reason = "phone lost" }, revokeKey)).Status.ShouldBe(HttpStatusCode.NoContent);
        var revokedAgain = await SendKeyedAsync(teller, revoke, new { reason = "phone lost" }, revokeKey);
        (revokedAgain.Status, revokedAgain.Replayed).ShouldBe((HttpStatusCode.NoContent, true), revokedAgain.Body);
        (await CountAsync(caseId, "customer_link_revoked")).ShouldBe(1L);
    }

    [Fact]
    public async Task a_retried_invitation_answers_the_invitation_it_sent_and_a_retried_removal_removes_once()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var key = Guid.NewGuid().ToString();
        var invitation = new { role = "relative", name = "李四", mobile = "13900139000" };

        var first = await SendKeyedAsync(teller, $"/api/cases/{caseId}/participants", invitation, key);
        var again = await SendKeyedAsync(teller, $"/api/cases/{caseId}/participants", invitation, key);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        (again.Status, again.Replayed).ShouldBe((HttpStatusCode.OK, true), again.Body);
        JsonSerializer.Deserialize<JsonElement>(again.Body).ShouldBe(JsonSerializer.Deserialize<JsonElement>(first.Body), new JsonElementEquality());
        (await CountAsync(caseId, "participant_invited")).ShouldBe(1L);
        Phone.Messages.Count(m => m.CaseId == caseId && m.To == "13900139000").ShouldBe(1, "the relative got one link");

        var linkId = JsonSerializer.Deserialize<JsonElement>(first.Body).GetProperty("linkId").GetString();
        var removeKey = Guid.NewGuid().ToString();
        (await SendKeyedAsync(teller, $"/api/cases/{caseId}/participants/{linkId}/remove", new { reason = "not needed" }, removeKey)).Status.ShouldBe(HttpStatusCode.NoContent);
        var removedAgain = await SendKeyedAsync(teller, $"/api/cases/{caseId}/participants/{linkId}/remove", new { reason = "not needed" }, removeKey);
        (removedAgain.Status, removedAgain.Replayed).ShouldBe((HttpStatusCode.NoContent, true), removedAgain.Body);
        (await CountAsync(caseId, "participant_removed")).ShouldBe(1L);

        var differently = await SendKeyedAsync(teller, $"/api/cases/{caseId}/participants", invitation, removeKey);
        differently.Status.ShouldBe(HttpStatusCode.UnprocessableEntity, "a key names one request");
    }

    [Fact]
    public async Task a_retried_legal_hold_answers_the_case_as_it_left_it_and_holds_once()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var supervisor = await host.ClientFor("supervisor");
        var key = Guid.NewGuid().ToString();

        var first = await SendKeyedAsync(supervisor, $"/api/cases/{caseId}/legal-hold", new { reason = "court order 2026-88" }, key);
        var again = await SendKeyedAsync(supervisor, $"/api/cases/{caseId}/legal-hold", new { reason = "court order 2026-88" }, key);

        first.Status.ShouldBe(HttpStatusCode.OK, first.Body);
        (again.Status, again.Replayed).ShouldBe((HttpStatusCode.OK, true), again.Body);
        JsonSerializer.Deserialize<JsonElement>(again.Body).GetProperty("version").GetInt64()
            .ShouldBe(JsonSerializer.Deserialize<JsonElement>(first.Body).GetProperty("version").GetInt64());
        (await CountAsync(caseId, "legal_hold_placed")).ShouldBe(1L);
    }

    [Fact]
    public async Task a_link_the_messenger_never_took_is_not_sent_on_the_retry_and_a_new_key_sends_a_new_one()
    {
        var refusing = new RefusingMessenger();
        await using var down = host.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<ICustomerMessenger>(refusing)));
        var token = (await host.ClientFor("teller")).DefaultRequestHeaders.Authorization!;
        using var teller = down.CreateClient();
        teller.DefaultRequestHeaders.Authorization = token;
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var key = Guid.NewGuid().ToString();

        var first = await SendKeyedAsync(teller, $"/api/cases/{caseId}/customer-link", null, key);
        first.Status.ShouldBe(HttpStatusCode.BadGateway, first.Body);
        refusing.Refuse = false;
        var again = await SendKeyedAsync(teller, $"/api/cases/{caseId}/customer-link", null, key);

        (again.Status, again.Replayed).ShouldBe((HttpStatusCode.BadGateway, true), again.Body);
        JsonSerializer.Deserialize<JsonElement>(again.Body).GetProperty("detail").GetString()!.ShouldContain("new key");
        refusing.Sent.ShouldBe(0, "a link whose code exists only as a digest cannot be sent again");
        (await CountAsync(caseId, "customer_link_issued")).ShouldBe(1L);

        (await SendKeyedAsync(teller, $"/api/cases/{caseId}/customer-link", null, Guid.NewGuid().ToString())).Status.ShouldBe(HttpStatusCode.OK);
        refusing.Sent.ShouldBe(1);
        (await CountAsync(caseId, "customer_link_issued")).ShouldBe(2L);
    }

    private sealed class RefusingMessenger : ICustomerMessenger
    {
        public volatile bool Refuse = true;
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public string Channel => "sms";

        public Task<MessageReceipt> SendAsync(CustomerMessage message, CancellationToken cancellation)
        {
            if (Refuse)
            {
                throw new MessageNotSentException("the provider is down.");
            }
            Interlocked.Increment(ref _sent);
            return Task.FromResult(new MessageReceipt(Channel, $"ref-{Sent}"));
        }
    }

    private sealed class JsonElementEquality : IEqualityComparer<JsonElement>
    {
        public bool Equals(JsonElement x, JsonElement y) => JsonElement.DeepEquals(x, y);

        public int GetHashCode(JsonElement obj) => 0;
    }
}
