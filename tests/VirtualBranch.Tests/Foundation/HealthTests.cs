using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

public sealed class HealthTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task health_is_live_and_ready_against_postgres()
    {
        var client = host.CreateClient();
        (await client.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await Eventually.Until(() => client.GetAsync("/health/ready", TestContext.Current.CancellationToken), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), r => $"not ready: {r.StatusCode}");
        var state = await ready.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        state.GetProperty("status").GetString().ShouldBe("Healthy");
        state.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
        state.GetProperty("checks").GetProperty("listeners").GetProperty("description").GetString().ShouldBe("listening for definitions, video rooms and case changes");
        state.GetProperty("checks").GetProperty("draining").GetProperty("description").GetString().ShouldBe("serving");
    }

    [Fact]
    public async Task a_host_that_is_stopping_says_it_is_draining_so_no_new_work_is_sent_to_it()
    {
        var other = host.StartAnotherHost();
        var client = other.CreateClient();
        var lifetime = other.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        // Holds the Host between "stopping" and stopped, as in-flight work does, until the test has asked.
        using var stopping = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        lifetime.ApplicationStopping.Register(() => { stopping.Release(); release.Wait(); });
        var stop = Task.Run(lifetime.StopApplication, TestContext.Current.CancellationToken);
        await stopping.WaitAsync(TestContext.Current.CancellationToken);

        HttpResponseMessage ready;
        try
        {
            ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        }
        finally
        {
            release.Set();
            await stop;
        }

        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var state = await ready.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        state.GetProperty("checks").GetProperty("draining").GetProperty("description").GetString().ShouldBe("draining: the Host is shutting down");
        (await host.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "the other Host serves on");
    }

    [Fact]
    public async Task openapi_document_and_reference_are_served()
    {
        var client = host.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        JsonDocument.Parse(document).RootElement.GetProperty("openapi").GetString().ShouldStartWith("3.");
        var reference = await client.GetAsync("/docs/", TestContext.Current.CancellationToken);
        reference.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reference.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("scalar.js");
    }

    [Fact]
    public async Task hangfire_dashboard_is_closed_to_anonymous_callers()
    {
        var response = await host.CreateClient().GetAsync("/hangfire", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task pages_sign_in_with_an_http_only_cookie_and_the_jobs_dashboard_opens_for_supervisors_only()
    {
        async Task<HttpClient> SignedIn(string user)
        {
            var client = host.CreateClient();
            var response = await client.PostAsJsonAsync("/api/auth/session", new { username = user, password = host.PasswordOf(user) }, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var cookie = response.Headers.GetValues("Set-Cookie").Single();
            cookie.ShouldContain("httponly");
            cookie.ShouldContain("samesite=strict");
            return client;
        }
        var supervisor = await SignedIn("supervisor");
        (await supervisor.GetAsync("/hangfire", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await supervisor.GetAsync("/api/cases", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var teller = await SignedIn("teller");
        (await teller.GetAsync("/hangfire", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await teller.PostFrom(SignIns.OwnOrigin, "/api/auth/session/end")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await teller.GetAsync("/api/cases", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var wrong = await host.CreateClient().PostAsJsonAsync("/api/auth/session", new { username = "teller", password = "nope" }, TestContext.Current.CancellationToken);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task schema_of_marten_wolverine_and_hangfire_is_applied_at_start()
    {
        var schemas = await host.Database.ScalarAsync<string>(
            "select string_agg(schema_name, ',' order by schema_name) from information_schema.schemata where schema_name in ('vb','hangfire')");
        schemas.ShouldBe("hangfire,vb");
        var eventsTable = await host.Database.ScalarAsync<string>(
            "select string_agg(table_name, ',' order by table_name) from information_schema.tables where table_schema = 'vb' and table_name in ('wolverine_incoming_envelopes','wolverine_outgoing_envelopes')");
        eventsTable.ShouldBe("wolverine_incoming_envelopes,wolverine_outgoing_envelopes");
    }
}
