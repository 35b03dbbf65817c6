using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>
/// An <c>Idempotency-Key</c> on a case command: a retry answers the first result and never takes a second step, on this
/// Host or another; the key with another request is refused; a malformed key does nothing.
/// </summary>
public sealed class IdempotencyKeyTests(HostFixture host) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private HttpClient _teller = null!;

    public async ValueTask InitializeAsync()
    {
        await (await host.ClientFor("analyst")).Publish(FlowBuilder.Asks("keyed-flow", 1, "first", "second")); // 409 after the first test: already there
        _teller = await host.ClientFor("teller");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static HttpRequestMessage Keyed(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> Stream(Guid id)
    {
        await using var session = host.Store.QuerySession();
        return await session.Events.FetchStreamAsync(id, token: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task a_retried_resume_answers_the_first_result_and_the_stream_has_one_step()
    {
        var opened = await _teller.OpenCase("keyed-flow", new { });
        var path = $"/api/cases/{opened.Id()}/bookmarks/{opened.Bookmark("first")}";
        var key = Guid.NewGuid().ToString();

        var first = await _teller.SendAsync(Keyed(path, new { input = new { answer = "yes" } }, key), TestContext.Current.CancellationToken);
        var retried = await _teller.SendAsync(Keyed(path, new { input = new { answer = "yes" } }, key), TestContext.Current.CancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        retried.StatusCode.ShouldBe(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        (await retried.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        retried.Headers.ETag.ShouldBe(first.Headers.ETag);
        var events = await Stream(opened.Id());
        events.Count(e => e.Data is StepTransition { StepId: "first", Resumed: not null }).ShouldBe(1, "one resume, carried by the step's event");
        var step = events.Where(e => e.Version > opened.GetProperty("version").GetInt64()).ToList();
        step.ShouldNotBeEmpty();
        step.ShouldAllBe(e => e.Headers![CaseStreams.IdempotencyKeyHeader].ToString() == key, "a regulator can find the request's key on its events");
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_refused_and_nothing_is_appended()
    {
        var opened = await _teller.OpenCase("keyed-flow", new { });
        var path = $"/api/cases/{opened.Id()}/bookmarks/{opened.Bookmark("first")}";
        var key = Guid.NewGuid().ToString();
        (await _teller.SendAsync(Keyed(path, new { input = new { answer = "yes" } }, key), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = (await Stream(opened.Id())).Count;

        var other = await _teller.SendAsync(Keyed($"/api/cases/{opened.Id()}/cancel", new { reason = "changed my mind" }, key), TestContext.Current.CancellationToken);

        var problem = await other.Problem(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("detail").GetString()!.ShouldContain("different request");
        problem.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("Idempotency-Key");
        (await Stream(opened.Id())).Count.ShouldBe(before);
        (await _teller.GetCase(opened.Id())).GetProperty("status").GetString().ShouldBe("running");
    }

    [Fact]
    public async Task a_case_opened_with_a_key_on_one_host_is_answered_not_opened_again_on_another()
    {
        var key = Guid.NewGuid().ToString();
        var onB = host.StartAnotherHost().CreateClient();
        onB.DefaultRequestHeaders.Authorization = _teller.DefaultRequestHeaders.Authorization;

        var first = await _teller.SendAsync(Keyed("/api/cases", new { definitionId = "keyed-flow", data = new { } }, key), TestContext.Current.CancellationToken);
        var retried = await onB.SendAsync(Keyed("/api/cases", new { definitionId = "keyed-flow", data = new { } }, key), TestContext.Current.CancellationToken);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retried.StatusCode.ShouldBe(HttpStatusCode.Created, await retried.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        (await retried.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        retried.Headers.Location.ShouldBe(first.Headers.Location);
        await using var session = host.Store.QuerySession();
        (await session.Query<CaseSummary>().CountAsync(c => c.Number == body.GetProperty("number").GetString(), TestContext.Current.CancellationToken)).ShouldBe(1);
        (await Stream(body.Id())).Count(e => e.Data is CaseOpened).ShouldBe(1);
    }

    [Theory]
    [InlineData(0, "Empty.")]
    [InlineData(201, "201 characters.")]
    public async Task an_empty_or_over_long_key_is_refused_and_nothing_is_done(int length, string why)
    {
        var opened = await _teller.OpenCase("keyed-flow", new { });

        // Straight into the Host: HttpClient drops a header whose value is empty before it is sent.
        var refused = await host.Factory.Server.SendAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = $"/api/cases/{opened.Id()}/cancel";
            http.Request.Headers.Authorization = _teller.DefaultRequestHeaders.Authorization!.ToString();
            http.Request.Headers["Idempotency-Key"] = new string('k', length);
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream("""{ "reason": "x" }"""u8.ToArray());
        }, TestContext.Current.CancellationToken);

        refused.Response.StatusCode.ShouldBe(StatusCodes.Status400BadRequest);
        refused.Response.ContentType.ShouldBe("application/problem+json");
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(refused.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("Idempotency-Key");
        problem.GetProperty("errors")[0].GetProperty("message").GetString().ShouldBe(why);
        (await Stream(opened.Id())).Count.ShouldBe((int)opened.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task the_hourly_sweep_removes_keys_past_their_day_and_keeps_the_rest()
    {
        var opened = await _teller.OpenCase("keyed-flow", new { });
        var (old, fresh) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await host.Database.ExecuteAsync($"""
            insert into vb.vb_idempotency_keys (caller, key, fingerprint, case_id, version, status, first_used_at) values
              ('teller', '{old}', 'f', '{opened.Id()}', 1, 200, now() - interval '25 hours'),
              ('teller', '{fresh}', 'f', '{opened.Id()}', 1, 200, now() - interval '23 hours')
            """);

        var removed = await host.Services.GetRequiredService<IdempotencyKeys>().SweepAsync(TestContext.Current.CancellationToken);

        removed.ShouldBeGreaterThanOrEqualTo(1);
        (await host.Database.ScalarAsync<long>($"select count(*) from vb.vb_idempotency_keys where key = '{old}'")).ShouldBe(0L);
        (await host.Database.ScalarAsync<long>($"select count(*) from vb.vb_idempotency_keys where key = '{fresh}'")).ShouldBe(1L, "a key within its day is kept");
        // Registered in the background once the Host has started (see RecurringJobs): the sweep runs while the Hosts run.
        List<Hangfire.Storage.RecurringJobDto> Registered()
        {
            using var connection = host.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
            return Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);
        }
        await Eventually.Until(() => Task.FromResult(Registered()),
            jobs => jobs.Any(j => j.Id == IdempotencyKeys.SweepJobId && j.Cron == Hangfire.Cron.Hourly()), TimeSpan.FromMinutes(1),
            jobs => $"no hourly {IdempotencyKeys.SweepJobId} among {string.Join(", ", jobs.Select(j => j.Id))}");
    }
}
