using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Shouldly;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Integrity;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

public sealed class EvidenceTests(HostFixture host) : IClassFixture<HostFixture>
{
    private TrustStore Trust => host.Services.GetRequiredService<TrustStore>();

    private static readonly object SmallRequest = new { customerName = "王五", amount = 10 };

    /// <summary>A case run to completion: open, intake, small amount, end (and the seal).</summary>
    private async Task<Guid> CompletedCase()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("service-request", SmallRequest);
        var done = await teller.ResumeOk(opened.Id(), opened.Bookmark("intake"), new { confirmed = true, urgent = false });
        done.GetProperty("status").GetString().ShouldBe("completed");
        return opened.Id();
    }

    private async Task<JsonElement> Verify(Guid id)
    {
        var regulator = await host.ClientFor("regulator");
        return await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/verify");
    }

    [Fact]
    public async Task a_clean_case_verifies_and_ends_with_a_signed_seal()
    {
        var id = await CompletedCase();
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeTrue(result.ToString());
        var count = await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{id}'");
        result.GetProperty("eventsChecked").GetInt32().ShouldBe((int)count);
        result.GetProperty("firstBrokenVersion").ValueKind.ShouldBe(JsonValueKind.Null);
        var regulator = await host.ClientFor("regulator");
        var events = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/events");
        var last = events.EnumerateArray().Last();
        last.GetProperty("type").GetString().ShouldBe("case_sealed");
        last.GetProperty("actor").GetProperty("id").GetString().ShouldBe("virtualbranch");
        var first = events[0];
        first.GetProperty("previousHash").GetString().ShouldBe(new string('0', 64));
        first.GetProperty("actor").GetProperty("role").GetString().ShouldBe("teller");
        events[1].GetProperty("previousHash").GetString().ShouldBe(first.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task edited_data_is_caught_at_its_version()
    {
        var id = await CompletedCase();
        await host.Database.ExecuteAsync($"update vb.mt_events set data = jsonb_set(data, '{{Data,amount}}', '9999999') where stream_id = '{id}' and version = 1");
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeFalse();
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(1);
        result.GetProperty("problem").GetString()!.ShouldStartWith("changed data");
    }

    [Fact]
    public async Task a_deleted_event_is_caught_at_its_version()
    {
        var id = await CompletedCase();
        await host.Database.ExecuteAsync($"delete from vb.mt_events where stream_id = '{id}' and version = 4");
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeFalse();
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(4);
        result.GetProperty("problem").GetString()!.ShouldStartWith("missing event");
    }

    [Fact]
    public async Task a_deleted_last_event_is_caught()
    {
        var id = await CompletedCase();
        var last = await host.Database.ScalarAsync<long>($"select max(version) from vb.mt_events where stream_id = '{id}'");
        await host.Database.ExecuteAsync($"delete from vb.mt_events where stream_id = '{id}' and version = {last}");
        var result = await Verify(id);
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(last);
        result.GetProperty("problem").GetString()!.ShouldStartWith("missing event");
    }

    [Fact]
    public async Task swapped_events_are_caught_at_the_first_swapped_version()
    {
        var id = await CompletedCase();
        await host.Database.ExecuteAsync($"""
            update vb.mt_events set version = -3 where stream_id = '{id}' and version = 3;
            update vb.mt_events set version = 3 where stream_id = '{id}' and version = 5;
            update vb.mt_events set version = 5 where stream_id = '{id}' and version = -3;
            """);
        var result = await Verify(id);
        result.GetProperty("intact").GetBoolean().ShouldBeFalse();
        result.GetProperty("firstBrokenVersion").GetInt64().ShouldBe(3);
        result.GetProperty("problem").GetString()!.ShouldStartWith("reordered events");
    }

    [Fact]
    public async Task the_state_at_every_version_equals_folding_the_first_n_events()
    {
        var id = await CompletedCase();
        var regulator = await host.ClientFor("regulator");
        await using var session = host.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: TestContext.Current.CancellationToken);
        for (var n = 1; n <= events.Count; n++)
        {
            var body = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/state?version={n}");
            var folded = CaseEvolver.Fold(events.Take(n).Select(e => e.Data))!;
            body.GetProperty("version").GetInt64().ShouldBe(n);
            System.Text.Json.Nodes.JsonNode.DeepEquals(
                System.Text.Json.Nodes.JsonNode.Parse(body.GetProperty("case").GetRawText()),
                System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(CaseBody.From(folded), JsonSerializerOptions.Web))).ShouldBeTrue($"version {n}");
        }
        (await regulator.GetAsync($"/api/cases/{id}/state?version={events.Count + 1}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await regulator.GetAsync($"/api/cases/{id}/state?version=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var atOpening = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/state?at={Uri.EscapeDataString(events[0].Timestamp.ToString("O"))}");
        atOpening.GetProperty("case").GetProperty("status").GetString().ShouldBe("running");
    }

    [Fact]
    public async Task an_exported_bundle_verifies_offline_and_fails_after_any_one_byte_change()
    {
        var id = await CompletedCase();
        var regulator = await host.ClientFor("regulator");
        regulator.DefaultRequestHeaders.Add(AccessLog.ReasonHeader, "bundle check");
        var zip = await regulator.GetByteArrayAsync($"/api/cases/{id}/export");
        var report = BundleVerifier.Verify(new MemoryStream(zip), Trust);
        report.Intact.ShouldBeTrue(report.Problem);
        report.Checks.Count.ShouldBe(5);
        report.Checks[^1].ShouldStartWith("anchored by checkpoint");

        var names = Zips.Entries(zip).Keys.ToList();
        names.ShouldBe(["events.jsonl", "definition.json", "anchor.json", "manifest.json", "manifest.json.p7s"], ignoreOrder: true);
        foreach (var name in names)
        {
            var tampered = Zips.Rewrite(zip, name, bytes => bytes[bytes.Length / 2] ^= 0x01);
            var broken = BundleVerifier.Verify(new MemoryStream(tampered), Trust);
            broken.Intact.ShouldBeFalse($"a flipped byte in {name} went unnoticed");
            broken.Problem.ShouldNotBeNullOrWhiteSpace();
        }
        BundleVerifier.Verify(new MemoryStream([1, 2, 3]), Trust).Problem!.ShouldStartWith("not a readable evidence bundle");
    }

    [Fact]
    public async Task the_timeline_tells_who_did_what_when()
    {
        var id = await CompletedCase();
        var regulator = await host.ClientFor("regulator");
        var timeline = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/timeline");
        var intake = timeline.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == "intake");
        intake.GetProperty("title").GetString().ShouldBe("Intake interview");
        intake.GetProperty("actedBy").GetString().ShouldBe("teller");
        intake.GetProperty("outcome").GetString().ShouldBe("done");
        intake.GetProperty("waitedFor").GetString().ShouldBe("teller");
        timeline.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("what").GetString()).ShouldContain(w => w!.StartsWith("Case sealed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_regulator_cannot_write_and_every_read_is_in_the_access_log()
    {
        var id = await CompletedCase();
        var regulator = await host.ClientFor("regulator");
        var writes = new (string Path, object Body)[]
        {
            ("/api/cases", new { definitionId = "service-request", data = SmallRequest }),
            ($"/api/cases/{id}/bookmarks/intake.1", new { input = new { } }),
            ($"/api/cases/{id}/signals/anything", new { }),
            ($"/api/cases/{id}/cancel", new { reason = "x" }),
            ($"/api/cases/{id}/steps/intake/retry", new { }),
            ($"/api/cases/{id}/legal-hold", new { reason = "x" }),
            ($"/api/cases/{id}/legal-hold/release", new { reason = "x" }),
        };
        foreach (var (path, body) in writes)
        {
            (await regulator.PostAsJsonAsync(path, body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }
        var reads = new[] { $"/api/cases/{id}", $"/api/cases/{id}/events", $"/api/cases/{id}/timeline", $"/api/cases/{id}/verify", $"/api/cases/{id}/state?version=2" };
        foreach (var path in reads)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(AccessLog.ReasonHeader, "inspection 2026-11");
            (await regulator.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
        var supervisor = await host.ClientFor("supervisor");
        var log = await supervisor.GetFromJsonAsync<JsonElement>($"/api/cases/{id}/access-log");
        var entries = log.EnumerateArray().ToList();
        entries.Count.ShouldBe(reads.Length);
        entries.Select(e => e.GetProperty("what").GetString()).ShouldBe(reads.Select(r => $"GET {r}"));
        entries.ShouldAllBe(e => e.GetProperty("reader").GetString() == "regulator" && e.GetProperty("reason").GetString() == "inspection 2026-11");
        var caseEvents = await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{id}' and type = 'evidence_accessed'");
        caseEvents.ShouldBe(0L, "the access log is a stream of its own, never the case's");
    }

    [Fact]
    public async Task legal_hold_keeps_a_case_off_the_retention_list()
    {
        var id = await CompletedCase();
        var supervisor = await host.ClientFor("supervisor");
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddYears(6).ToString("O"));
        async Task<bool> Due() => (await supervisor.GetFromJsonAsync<JsonElement>($"/api/retention/due?asOf={future}"))
            .EnumerateArray().Any(c => c.GetProperty("id").GetGuid() == id);

        (await Due()).ShouldBeTrue("five years of retention have passed six years on");
        var before = await StreamSnapshot.Of(host.Database, id);
        var noReason = await (await supervisor.PostAsJsonAsync($"/api/cases/{id}/legal-hold", new { reason = "" })).Problem(HttpStatusCode.BadRequest);
        noReason.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/reason");
        var teller = await host.ClientFor("teller");
        (await teller.PostAsJsonAsync($"/api/cases/{id}/legal-hold", new { reason = "dispute" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StreamSnapshot.Of(host.Database, id)).ShouldBe(before, "refused holds change nothing");
        (await supervisor.PostAsJsonAsync($"/api/cases/{id}/legal-hold", new { reason = "Customer dispute 2026-118" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Due()).ShouldBeFalse();
        (await supervisor.PostAsJsonAsync($"/api/cases/{id}/legal-hold/release", new { reason = "Dispute settled" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Due()).ShouldBeTrue();
        (await Verify(id)).GetProperty("intact").GetBoolean().ShouldBeTrue("holds are chained after the seal like any event");
    }
}
