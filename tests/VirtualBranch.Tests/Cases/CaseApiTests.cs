using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

public sealed class CaseApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly object LargeRequest = new { customerName = "张三", amount = 500_000 };

    [Fact]
    public async Task a_sample_case_runs_from_open_to_completed_through_the_api()
    {
        var teller = await host.ClientFor("teller");
        var supervisor = await host.ClientFor("supervisor");
        var core = await host.ClientFor("corebanking");

        var opened = await teller.OpenCase("service-request", LargeRequest);
        opened.GetProperty("number").GetString()!.ShouldMatch(@"^SR-\d{4}-\d{6}$");
        opened.GetProperty("status").GetString().ShouldBe("running");
        var id = opened.Id();

        var afterIntake = await teller.ResumeOk(id, opened.Bookmark("intake"), new { confirmed = true, urgent = false });
        afterIntake.GetProperty("waiting").GetArrayLength().ShouldBe(2, "review and core confirmation run in parallel");
        afterIntake.GetProperty("variables").GetProperty("reviewRounds").GetInt32().ShouldBe(1);

        var queue = await supervisor.GetFromJsonAsync<JsonElement>("/api/cases?role=supervisor&status=running");
        queue.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldContain(id);

        await supervisor.ResumeOk(id, afterIntake.Bookmark("review"), new { approved = true, comment = "ok" });
        var signal = await core.PostAsJsonAsync($"/api/cases/{id}/signals/core-banking-confirmed", new { reference = "CBS-991" });
        signal.StatusCode.ShouldBe(HttpStatusCode.OK, await signal.Content.ReadAsStringAsync());
        var cooling = await signal.Content.ReadFromJsonAsync<JsonElement>();
        cooling.Bookmark("cooling-off").ShouldBe("cooling-off.1");

        var closed = await teller.WaitUntilClosed(id, TimeSpan.FromSeconds(90));
        closed.GetProperty("status").GetString().ShouldBe("completed");
        closed.GetProperty("waiting").GetArrayLength().ShouldBe(0);
        closed.GetProperty("output").GetProperty("decision").GetString().ShouldBe("approved", "the set-output step gives the decision back");

        var types = await host.Database.ScalarAsync<string>($"select string_agg(type, ',' order by version) from vb.mt_events where stream_id = '{id}'");
        types!.Split(',').ShouldContain("deadline_reached");
        types.Split(',').TakeLast(2).ShouldBe(["case_completed", "case_sealed"]);
        var metadata = await host.Database.ScalarAsync<string>(
            $"select concat_ws('|', user_name, headers->>'actor-role') from vb.mt_events where stream_id = '{id}' and data->'Resumed' is not null order by version limit 1");
        metadata.ShouldBe("teller|teller");
    }

    [Fact]
    public async Task twenty_concurrent_resumes_of_one_bookmark_give_one_success_and_nineteen_conflicts()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", LargeRequest);
        var bookmark = opened.Bookmark("intake");
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            return (await teller.Resume(opened.Id(), bookmark, new { confirmed = true, urgent = true })).StatusCode;
        }).ToList();
        start.Release(20);
        var statuses = await Task.WhenAll(racers);
        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(1);
        statuses.Count(s => s == HttpStatusCode.Conflict).ShouldBe(19);
        var resumed = await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{opened.Id()}' and data->'Resumed'->>'BookmarkId' = '{bookmark}'");
        resumed.ShouldBe(1L);
    }

    [Fact]
    public async Task refused_requests_leave_the_stream_byte_for_byte_unchanged()
    {
        var teller = await host.ClientFor("teller");
        var supervisor = await host.ClientFor("supervisor");
        var opened = await teller.OpenCase("service-request", LargeRequest);
        var id = opened.Id();
        var bookmark = opened.Bookmark("intake");
        var before = await StreamSnapshot.Of(host.Database, id);

        var invalid = await (await teller.Resume(id, bookmark, new { confirmed = "yes" })).Problem(HttpStatusCode.BadRequest);
        invalid.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe(["/confirmed", "/urgent"], ignoreOrder: true);
        (await supervisor.Resume(id, bookmark, new { confirmed = true, urgent = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var stale = await (await teller.Resume(id, bookmark, new { confirmed = true, urgent = true }, ifMatch: 1)).Problem(HttpStatusCode.Conflict);
        stale.GetProperty("detail").GetString()!.ShouldContain("version");
        (await teller.Resume(id, "no-such.1", new { })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var malformed = await teller.PostAsync($"/api/cases/{id}/bookmarks/{bookmark}", new StringContent("{\"input\": {", System.Text.Encoding.UTF8, "application/json"));
        (await malformed.Problem(HttpStatusCode.BadRequest)).GetProperty("title").GetString().ShouldBe("The body is not valid JSON");
        var badIfMatch = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{id}/bookmarks/{bookmark}") { Content = JsonContent.Create(new { input = new { } }) };
        badIfMatch.Headers.TryAddWithoutValidation("If-Match", "\"seven\"");
        (await teller.SendAsync(badIfMatch)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await teller.PostAsJsonAsync($"/api/cases/{id}/cancel", new { reason = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await teller.PostAsJsonAsync($"/api/cases/{id}/steps/intake/retry", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await StreamSnapshot.Of(host.Database, id)).ShouldBe(before);
    }

    [Fact]
    public async Task input_the_store_would_not_keep_exactly_is_refused_at_its_place_and_nothing_is_stored()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", LargeRequest);
        var (id, bookmark) = (opened.Id(), opened.Bookmark("intake"));
        var before = await StreamSnapshot.Of(host.Database, id);

        foreach (var (body, path) in new[]
        {
            ("""{"input":{"confirmed":true,"urgent":true,"urgent":false}}""", "/urgent"),
            ("""{"input":{"confirmed":true,"urgent":true,"note":"a\u0000b"}}""", "/note"),
            ("""{"input":{"confirmed":true,"urgent":true,"amount":1e29}}""", "/amount"),
            ("""{"input":{"confirmed":true,"urgent":true,"tiny":1e-16384}}""", "/tiny"),
            ("""{"input":{"confirmed":true,"urgent":true,"note":"\ud800"}}""", "/note"),
        })
        {
            var refused = await (await teller.PostAsync($"/api/cases/{id}/bookmarks/{bookmark}",
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).Problem(HttpStatusCode.BadRequest);
            refused.GetProperty("title").GetString().ShouldBe("The input cannot be kept as evidence");
            refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe([path]);
        }
        var streams = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");
        var duplicate = await teller.PostAsync("/api/cases", new StringContent(
            """{"definitionId":"service-request","data":{"customerName":"李四","amount":10,"amount":20}}""", System.Text.Encoding.UTF8, "application/json"));
        (await duplicate.Problem(HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/amount");
        var nulReason = await (await teller.PostAsync($"/api/cases/{id}/cancel", new StringContent(
            """{"reason":"a\u0000b"}""", System.Text.Encoding.UTF8, "application/json"))).Problem(HttpStatusCode.BadRequest);
        nulReason.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe(["/reason"]);

        (await StreamSnapshot.Of(host.Database, id)).ShouldBe(before);
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams")).ShouldBe(streams);
        await teller.ResumeOk(id, bookmark, new { confirmed = true, urgent = true });
    }

    [Fact]
    public async Task opening_checks_the_definition_and_the_data()
    {
        var teller = await host.ClientFor("teller");
        var unknown = await (await teller.PostAsJsonAsync("/api/cases", new { definitionId = "nope", data = new { } })).Problem(HttpStatusCode.BadRequest);
        unknown.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/definitionId");
        var bad = await (await teller.PostAsJsonAsync("/api/cases", new { definitionId = "service-request", data = new { amount = -1 } })).Problem(HttpStatusCode.BadRequest);
        bad.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe(["/customerName", "/amount"], ignoreOrder: true);
        var count = await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams");
        var response = await teller.PostAsJsonAsync("/api/cases", new { definitionId = "service-request", data = new { customerName = "李四", amount = 10 } });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.Location!.ToString().ShouldStartWith("/api/cases/");
        response.Headers.ETag!.Tag.ShouldNotBeNullOrEmpty();
        (await host.Database.ScalarAsync<long>("select count(*) from vb.mt_streams")).ShouldBe(count + 1);
    }

    [Fact]
    public async Task roles_are_enforced_and_every_refusal_is_problem_details()
    {
        var anonymous = host.CreateClient();
        (await anonymous.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var regulator = await host.ClientFor("regulator");
        (await regulator.PostAsJsonAsync("/api/cases", new { definitionId = "service-request", data = LargeRequest })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await regulator.GetAsync("/api/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "teller", password = "wrong" });
        (await wrong.Problem(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString().ShouldBe("The username or the password is wrong.");
        var empty = await (await anonymous.PostAsJsonAsync("/api/auth/token", new { })).Problem(HttpStatusCode.BadRequest);
        empty.GetProperty("errors").GetArrayLength().ShouldBe(2);
        var definitions = await regulator.GetFromJsonAsync<JsonElement>("/api/definitions");
        var sample = definitions.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "service-request");
        sample.GetProperty("inputs").GetProperty("type").GetString().ShouldBe("object");
        (await (await regulator.GetAsync($"/api/cases/{Guid.NewGuid()}")).Problem(HttpStatusCode.NotFound)).GetProperty("title").GetString().ShouldBe("No such case");
    }
}
