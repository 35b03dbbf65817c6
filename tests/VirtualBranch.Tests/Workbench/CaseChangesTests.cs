using System.Net;
using System.Text.Json;
using Shouldly;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Host.Cases;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// The pages follow a case as the Host pushes its changes (<c>GET /api/cases/{id}/changes</c>, server-sent events): the
/// version now, then each new one, also when another Host of the database wrote it.
/// </summary>
public sealed class CaseChangesTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static object Data => new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };

    [Fact]
    public async Task a_page_following_a_case_hears_the_version_now_and_each_new_one_whichever_host_writes_it()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Data);
        var second = host.StartAnotherHost();
        var onSecond = second.CreateClient();
        onSecond.DefaultRequestHeaders.Authorization = driver.Teller.DefaultRequestHeaders.Authorization;

        // This Host hears of a change the other Host writes by its notification (not by the stream's own re-read when quiet).
        using var heardOf = host.Services.GetRequiredService<CaseChanges>().Follow(driver.CaseId);
        using var teller = await Changes.FollowAsync(driver.Teller, driver.CaseId);
        using var customer = await Changes.FollowAsync(driver.Customer, driver.CaseId);
        var now = await VersionOf(driver.Teller, driver.CaseId);
        (await teller.NextAsync()).ShouldBe(now);
        (await customer.NextAsync()).ShouldBe(now);

        // The teller sends the link again through the other Host (two commands: issued, then delivered): both pages on this
        // Host hear of it, each version newer than the last, up to the case's version now.
        (await onSecond.PostAsync($"/api/cases/{driver.CaseId}/customer-link", null, Cancellation)).EnsureSuccessStatusCode();
        var after = await VersionOf(driver.Teller, driver.CaseId);
        after.ShouldBeGreaterThan(now);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation))
        {
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            (await heardOf.Changed.ReadAsync(limit.Token)).ShouldBeTrue();
        }
        foreach (var follower in new[] { teller, customer })
        {
            var heard = new List<long> { now };
            while (heard[^1] < after)
            {
                heard.Add(await follower.NextAsync());
            }
            heard.ShouldBeInOrder(SortDirection.Ascending);
            heard.Distinct().Count().ShouldBe(heard.Count, "a version is announced once");
            heard[^1].ShouldBe(after);
        }
    }

    [Fact]
    public async Task following_is_refused_to_nobody_to_another_cases_customer_and_for_a_case_that_does_not_exist()
    {
        var mine = await ScenarioDriver.OpenAsync(host, "password-reset", Data);
        var other = await ScenarioDriver.OpenAsync(host, "password-reset", Data);

        (await host.CreateClient().GetAsync($"/api/cases/{mine.CaseId}/changes", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await other.Customer.GetAsync($"/api/cases/{mine.CaseId}/changes", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await (await mine.Teller.GetAsync($"/api/cases/{Guid.NewGuid()}/changes", Cancellation)).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task staff_following_the_queue_hear_that_a_case_changed_and_nobody_else_may_follow_it()
    {
        var supervisor = await host.ClientFor("supervisor");
        using var queue = await Changes.FollowAsync(supervisor, "/api/queue/changes");
        (await queue.NextDataAsync()).GetProperty("changes").GetInt32().ShouldBe(0);

        // A case opened through the other Host changes the queue.
        var second = host.StartAnotherHost();
        var onSecond = second.CreateClient();
        onSecond.DefaultRequestHeaders.Authorization = (await host.ClientFor("teller")).DefaultRequestHeaders.Authorization;
        (await onSecond.OpenCase("password-reset", Data)).Id().ShouldNotBe(Guid.Empty);
        (await queue.NextDataAsync()).GetProperty("changes").GetInt32().ShouldBe(1);

        (await host.CreateClient().GetAsync("/api/queue/changes", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Data);
        (await driver.Customer.GetAsync("/api/queue/changes", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await host.ClientFor("analyst")).GetAsync("/api/queue/changes", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static async Task<long> VersionOf(HttpClient client, Guid caseId) => (await client.GetCase(caseId)).GetProperty("version").GetInt64();

    /// <summary>One follower's stream, read event by event.</summary>
    private sealed class Changes(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public static Task<Changes> FollowAsync(HttpClient client, Guid caseId) => FollowAsync(client, $"/api/cases/{caseId}/changes");

        public static async Task<Changes> FollowAsync(HttpClient client, string path)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, Cancellation);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
            return new Changes(response, new StreamReader(await response.Content.ReadAsStreamAsync(Cancellation)));
        }

        /// <summary>The version the next event announces (bounded: a stream that says nothing fails the test).</summary>
        public async Task<long> NextAsync() => (await NextDataAsync()).GetProperty("version").GetInt64();

        /// <summary>The data of the next event (bounded, as above).</summary>
        public async Task<JsonElement> NextDataAsync()
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            while (await reader.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    return JsonDocument.Parse(line[5..]).RootElement.Clone();
                }
            }
            throw new ShouldAssertException("the stream ended");
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
