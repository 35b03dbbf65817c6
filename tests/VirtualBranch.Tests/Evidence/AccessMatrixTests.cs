using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// Role × endpoint: every endpoint the running Host maps has a rule in <see cref="Rules"/> (a new endpoint without one
/// fails), and every endpoint that returns case data is called by every role with real route values: refused roles get
/// 401/403 problem details, allowed roles their answer, and every allowed staff read is in the access log with its reason.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.CaseFixture host) : IClassFixture<AccessMatrixTests.CaseFixture>
{
    /// <summary>Who calls: "teller" works the case (opened it and acted on it); "teller2" never touched it.</summary>
    public enum Who { Anonymous, Analyst, Teller, OtherTeller, Supervisor, Regulator, System, Customer }

    /// <summary>Route values of a real, completed loan signing: the case, a collected document, its sealed recording.</summary>
    public sealed record Ids(Guid Case, Guid Document, string DocumentSha, Guid Recording);

    /// <summary>Who may call an endpoint; <c>Path</c> is set for endpoints that return case data, which the test calls.</summary>
    private sealed record Rule(Who[] Allowed, Func<Ids, string>? Path = null, Who[]? LoggedFor = null);

    private static readonly Who[] Everyone = Enum.GetValues<Who>();
    private static readonly Who[] SignedIn = [.. Everyone.Except([Who.Anonymous])];
    private static readonly Who[] Staff = [Who.Analyst, Who.Teller, Who.OtherTeller, Who.Supervisor, Who.Regulator];
    private static readonly Who[] Tellers = [Who.Teller, Who.OtherTeller];
    private static readonly Who[] Workers = [.. Tellers, Who.Supervisor];
    private static readonly Who[] Oversight = [Who.Supervisor, Who.Regulator];
    private static readonly Who[] WorksTheCase = [Who.Teller, .. Oversight];

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        // Case data: called for real below.
        ["GET /api/cases/"] = new([.. Tellers, .. Oversight], _ => "/api/cases/?status=completed", LoggedFor: [Who.Regulator]),
        ["GET /api/cases/{id:guid}"] = new(WorksTheCase, i => $"/api/cases/{i.Case}"),
        ["GET /api/cases/{id:guid}/workbench"] = new(WorksTheCase, i => $"/api/cases/{i.Case}/workbench"),
        ["GET /api/cases/{id:guid}/diagram"] = new(WorksTheCase, i => $"/api/cases/{i.Case}/diagram"),
        ["GET /api/cases/{id:guid}/customer"] = new([.. WorksTheCase, Who.Customer], i => $"/api/cases/{i.Case}/customer"),
        ["GET /api/documents/{documentId:guid}"] = new(WorksTheCase, i => $"/api/documents/{i.Document}"),
        ["GET /api/cases/{id:guid}/evidence/{sha256}"] = new(WorksTheCase, i => $"/api/cases/{i.Case}/evidence/{i.DocumentSha}"),
        ["GET /api/cases/{id:guid}/events"] = new(Oversight, i => $"/api/cases/{i.Case}/events"),
        ["GET /api/cases/{id:guid}/state"] = new(Oversight, i => $"/api/cases/{i.Case}/state?version=2"),
        ["GET /api/cases/{id:guid}/timeline"] = new(Oversight, i => $"/api/cases/{i.Case}/timeline"),
        ["GET /api/cases/{id:guid}/verify"] = new(Oversight, i => $"/api/cases/{i.Case}/verify"),
        ["GET /api/cases/{id:guid}/export"] = new(Oversight, i => $"/api/cases/{i.Case}/export"),
        ["GET /api/cases/{id:guid}/access-log"] = new(Oversight, i => $"/api/cases/{i.Case}/access-log"),
        ["GET /api/recordings/{recordingId:guid}"] = new(Oversight, i => $"/api/recordings/{i.Recording}"),
        ["GET /api/retention/due"] = new(Oversight, _ => "/api/retention/due"),

        // No case data: the rule as the endpoint declares it.
        ["POST /api/auth/token"] = new(Everyone),
        ["POST /api/auth/session"] = new(Everyone),
        ["POST /api/auth/session/end"] = new(Everyone),
        ["POST /api/auth/refresh"] = new(Everyone),
        ["POST /api/auth/password"] = new([.. Staff, Who.System]),
        ["DELETE /api/auth/lockouts/{user}"] = new([Who.Supervisor]),
        ["* /metrics"] = new([Who.Supervisor]), // the Prometheus exporter maps every method
        ["POST /api/csp-reports"] = new(Everyone), // browsers send reports without credentials; bounded and rate limited
        ["POST /api/customer/session"] = new(Everyone),
        ["POST /api/customer/code"] = new(Everyone),
        ["POST /api/cases/{id:guid}/bookmarks/{bookmarkId}/confirmation"] = new([Who.Customer]),
        ["POST /api/cases/{id:guid}/customer-link/revoke"] = new(Workers),
        // No case data, but TURN credentials: only for those who sit in video rooms, called for real.
        ["GET /api/media/config"] = new([.. Tellers, Who.Supervisor, Who.Customer], _ => "/api/media/config", LoggedFor: []),
        ["* /health"] = new(Everyone),
        ["* /health/ready"] = new(Everyone),
        ["GET /openapi/{documentName}.json"] = new(Everyone),
        ["GET /docs/{documentName?}"] = new(Everyone),
        ["GET /docs/scalar.js"] = new(Everyone),
        ["GET /docs/scalar.aspnetcore.js"] = new(Everyone),
        ["GET /docs/favicon.svg"] = new(Everyone),
        ["GET /api/definitions/"] = new(Staff),
        ["GET /api/definitions/{id}/versions"] = new(Staff),
        ["GET /api/definitions/{id}/versions/{version:int}"] = new(Staff),
        ["GET /api/definitions/{id}/versions/{version:int}/diagram"] = new(Staff),
        ["GET /api/definitions/{id}/diff"] = new(Staff),
        ["POST /api/definitions/validate"] = new(Staff),
        ["POST /api/definitions/"] = new([Who.Analyst]),
        ["POST /api/definitions/import-elsa"] = new([Who.Analyst]),
        ["POST /api/cases/"] = new(Workers),
        ["POST /api/cases/{id:guid}/bookmarks/{bookmarkId}"] = new([.. Workers, Who.Customer]),
        ["POST /api/cases/{id:guid}/signals/{name}"] = new([Who.System, Who.Supervisor]),
        ["POST /api/cases/{id:guid}/cancel"] = new(Workers),
        ["POST /api/cases/{id:guid}/steps/{stepId}/retry"] = new([Who.Supervisor]),
        ["POST /api/cases/{id:guid}/legal-hold/"] = new([Who.Supervisor]),
        ["POST /api/cases/{id:guid}/legal-hold/release"] = new([Who.Supervisor]),
        ["POST /api/retention/sweep"] = new([Who.Supervisor]),
        ["POST /api/cases/{id:guid}/customer-link"] = new(Workers),
        ["POST /api/cases/{id:guid}/participants"] = new(Workers),
        ["POST /api/cases/{id:guid}/participants/{linkId}/remove"] = new(Workers),
        ["POST /api/cases/{id:guid}/documents"] = new([.. Workers, Who.Customer]),
        ["PUT /api/recordings/{recordingId:guid}/chunks/{index:int}"] = new([.. Workers, Who.Customer]),
        ["PUT /api/recordings/{recordingId:guid}/segments/{segment:int}/chunks/{index:int}"] = new([.. Workers, Who.Customer]),
        ["POST /api/recordings/{recordingId:guid}/segments"] = new([.. Workers, Who.Customer]),
        ["POST /api/recordings/{recordingId:guid}/segments/{segment:int}/end"] = new([.. Workers, Who.Customer]),
        ["POST /api/cases/{id:guid}/disruptions"] = new(Workers),
        ["POST /api/queue/next"] = new(Tellers),
        ["* /api/cases/{id:guid}/room"] = new([Who.Teller, Who.Supervisor, Who.Customer]),
        ["GET /api/cases/{id:guid}/changes"] = new([.. WorksTheCase, Who.Customer]), // versions only, a stream that stays open: CaseChangesTests
        ["GET /api/queue/changes"] = new([.. Tellers, .. Oversight]), // that some case changed, a stream: CaseChangesTests
        ["POST /api/timestamp"] = new(Everyone),
        ["GET /api/checkpoints/latest"] = new(Oversight),
        ["GET /api/checkpoints/verify"] = new(Oversight),
        ["POST /api/checkpoints"] = new([Who.Supervisor]),
    };

    [Fact]
    public void every_mapped_endpoint_has_a_rule_in_the_matrix()
    {
        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().ToList();
        mapped.Count.ShouldBeGreaterThan(30, "the Host's endpoints were enumerated");
        mapped.Where(e => !Rules.ContainsKey(e)).ShouldBeEmpty("endpoints without a rule in the role × endpoint matrix");
        Rules.Keys.Where(k => !mapped.Contains(k)).ShouldBeEmpty("rules for endpoints the Host no longer maps");
    }

    [Fact]
    public async Task refused_roles_get_problem_details_allowed_roles_their_answer_and_every_allowed_read_is_logged_with_its_reason()
    {
        var ids = host.Ids;
        var reads = new List<(Who Who, string Path, string Reason)>();
        foreach (var (endpoint, rule) in Rules.Where(r => r.Value.Path is not null))
        {
            var path = rule.Path!(ids);
            foreach (var who in Everyone)
            {
                var reason = $"matrix {who} {endpoint}";
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add(AccessLog.ReasonHeader, reason);
                var response = await (await host.ClientAs(who)).SendAsync(request, TestContext.Current.CancellationToken);
                var because = $"{who} {endpoint}";
                if (rule.Allowed.Contains(who))
                {
                    response.IsSuccessStatusCode.ShouldBeTrue($"{because}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                    if ((rule.LoggedFor ?? [.. Tellers, .. Oversight]).Contains(who))
                    {
                        reads.Add((who, path, reason));
                    }
                    continue;
                }
                var problem = await response.Problem(who == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty(because);
                if (who != Who.Anonymous)
                {
                    problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty($"{because}: a refusal says why");
                }
            }
        }
        reads.Count.ShouldBeGreaterThan(30);

        var log = host.Services.GetRequiredService<AccessLog>();
        var entries = (await log.ReadAsync(ids.Case, TestContext.Current.CancellationToken))
            .Concat(await log.ReadAsync(null, TestContext.Current.CancellationToken)).Where(e => e.Reason?.StartsWith("matrix ", StringComparison.Ordinal) == true).ToList();
        foreach (var (who, path, reason) in reads)
        {
            entries.ShouldContain(e => e.Reader == CaseFixture.UserOf(who) && e.Role == CaseFixture.RoleOf(who) && e.What == $"GET {path}" && e.Reason == reason,
                $"{who} read {path}; the access log holds no such entry");
        }
        entries.Count.ShouldBe(reads.Count, "refused reads and reads that are not logged left nothing in the log");
    }

    [Fact]
    public async Task export_without_a_reason_is_refused_naming_the_header_and_nothing_is_logged()
    {
        var log = host.Services.GetRequiredService<AccessLog>();
        var before = (await log.ReadAsync(host.Ids.Case, TestContext.Current.CancellationToken)).Count;
        var response = await (await host.ClientAs(Who.Regulator)).GetAsync($"/api/cases/{host.Ids.Case}/export", TestContext.Current.CancellationToken);
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe(AccessLog.ReasonHeader);
        problem.GetProperty("detail").GetString()!.ShouldContain(AccessLog.ReasonHeader);
        (await log.ReadAsync(host.Ids.Case, TestContext.Current.CancellationToken)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_teller_sees_and_reads_a_case_they_can_take_but_not_once_another_teller_took_it()
    {
        var supervisor = await host.ClientAs(Who.Supervisor);
        var waiting = await supervisor.OpenCase("service-request", new { customerName = "王五", amount = 10 });
        var teller2 = await host.ClientAs(Who.OtherTeller);
        var teller = await host.ClientAs(Who.Teller);
        async Task<List<Guid>> Queue(HttpClient client) =>
            [.. (await client.GetFromJsonAsync<JsonElement>("/api/cases/?limit=500", TestContext.Current.CancellationToken)).EnumerateArray().Select(c => c.Id())];

        (await Queue(teller2)).ShouldBe([waiting.Id()], "teller2 works no case and can take only this one");
        (await Queue(teller)).ShouldBe([host.Ids.Case, waiting.Id()], ignoreOrder: true);
        (await teller2.GetAsync($"/api/cases/{waiting.Id()}/workbench", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var files = await (await teller2.GetAsync($"/api/cases/{waiting.Id()}/evidence/{host.Ids.DocumentSha}", TestContext.Current.CancellationToken)).Problem(HttpStatusCode.Forbidden);
        files.GetProperty("detail").GetString()!.ShouldContain("teller who works it");

        (await teller.PostAsync("/api/queue/next", null, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Queue(teller2)).ShouldBeEmpty("the case is teller's now");
        var refused = await (await teller2.GetAsync($"/api/cases/{waiting.Id()}", TestContext.Current.CancellationToken)).Problem(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString()!.ShouldContain("not assigned to you");
    }

    [Fact]
    public async Task the_workbench_view_lists_the_documents_and_the_signed_contract_and_an_unchanged_case_answers_304_unlogged()
    {
        var teller = await host.ClientAs(Who.Teller);
        var response = await teller.GetAsync($"/api/cases/{host.Ids.Case}/workbench", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        view.GetProperty("case").GetProperty("status").GetString().ShouldBe("completed");
        var documents = view.GetProperty("documents").EnumerateArray().ToList();
        documents.Select(d => d.GetProperty("sha256").GetString()).ShouldBe(host.Documents, ignoreOrder: true);
        documents.ShouldContain(d => d.GetProperty("url").GetString() == $"/api/documents/{host.Ids.Document}");
        var contract = view.GetProperty("signedContracts").EnumerateArray().Single();
        var pdf = await teller.GetAsync(contract.GetProperty("url").GetString(), TestContext.Current.CancellationToken);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        view.GetProperty("recording").GetProperty("recordingId").GetGuid().ShouldBe(host.Ids.Recording);

        var log = host.Services.GetRequiredService<AccessLog>();
        var before = await log.ReadAsync(host.Ids.Case, TestContext.Current.CancellationToken);
        before.Last(e => e.What == $"GET /api/cases/{host.Ids.Case}/workbench").Reason.ShouldBe(CaseReadFilter.WorkingTheCase, "the workbench's own reason when the page states none");
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/cases/{host.Ids.Case}/workbench");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        (await teller.SendAsync(again, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotModified);
        // The PDF read above is logged; the 304 is not.
        (await log.ReadAsync(host.Ids.Case, TestContext.Current.CancellationToken)).Count.ShouldBe(before.Count);
    }

    /// <summary>The Host with one loan signing run to completion, and a client per role.</summary>
    public sealed class CaseFixture : HostFixture
    {
        private readonly Dictionary<Who, HttpClient> _clients = [];

        public Ids Ids { get; private set; } = null!;

        public IReadOnlyList<string> Documents { get; private set; } = [];

        public static string UserOf(Who who) => who switch
        {
            Who.OtherTeller => "teller2",
            Who.System => "corebanking",
            _ => who.ToString().ToLowerInvariant(),
        };

        public static string RoleOf(Who who) => who switch
        {
            Who.OtherTeller => "teller",
            _ => who.ToString().ToLowerInvariant(),
        };

        public async Task<HttpClient> ClientAs(Who who)
        {
            if (!_clients.TryGetValue(who, out var client))
            {
                client = who == Who.Anonymous ? CreateClient() : await ClientFor(UserOf(who));
                _clients[who] = client;
            }
            return client;
        }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var driver = await ScenarioDriver.OpenAsync(this, "loan-face-signing",
                new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 100_000, termMonths = 12 });
            (await driver.RunToEndAsync()).GetProperty("status").GetString().ShouldBe("completed");
            _clients[Who.Customer] = driver.Customer;
            _clients[Who.Teller] = driver.Teller;
            var regulator = await ClientAs(Who.Regulator);
            var events = (await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/events?reason=fixture")).EnumerateArray().ToList();
            var document = events.First(e => e.GetProperty("type").GetString() == "document_collected").GetProperty("data");
            Ids = new Ids(driver.CaseId, document.GetProperty("DocumentId").GetGuid(), document.GetProperty("Evidence")[0].GetProperty("Sha256").GetString()!, driver.RecordingId!.Value);
            Documents = driver.Documents;
        }
    }
}
