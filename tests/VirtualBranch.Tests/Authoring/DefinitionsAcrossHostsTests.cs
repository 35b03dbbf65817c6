using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Authoring;

/// <summary>
/// Several Hosts on one database: a version published on one (publish API, command line) is live on the others without a
/// restart, through PostgreSQL NOTIFY; a Host whose listening connection dropped loads what it missed when it reconnects.
/// </summary>
public sealed class DefinitionsAcrossHostsTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static string Flow(string id, int version) => FlowBuilder.Asks(id, version, "ask");

    private static Task<WorkflowDefinition?> InCatalogOf(IServiceProvider services, string id, int version) =>
        Eventually.Until(() => Task.FromResult(services.GetRequiredService<DefinitionCatalog>().Find(id, version)), d => d is not null, Limit,
            _ => $"{id} v{version} did not reach the other Host's catalog");

    [Fact]
    public async Task a_version_published_on_one_host_opens_a_case_on_another_host_process()
    {
        var (process, address) = await host.StartHostProcessAsync();
        try
        {
            var analyst = await host.ClientFor("analyst");
            var teller = await host.ClientFor("teller");
            using var tellerThere = new HttpClient { BaseAddress = address, DefaultRequestHeaders = { Authorization = teller.DefaultRequestHeaders.Authorization } };
            (await tellerThere.PostAsJsonAsync("/api/cases", new { definitionId = "spread-flow", data = new { } }, TestContext.Current.CancellationToken))
                .StatusCode.ShouldBe(HttpStatusCode.BadRequest, "not published yet");

            var published = await analyst.Publish(Flow("spread-flow", 1));
            published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            var opened = await Eventually.Until(() => tellerThere.PostAsJsonAsync("/api/cases", new { definitionId = "spread-flow", data = new { } }),
                r => r.StatusCode == HttpStatusCode.Created, Limit, r => $"the other Host still refuses the case: {r.StatusCode}");
            var body = await opened.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            body.GetProperty("definitionId").GetString().ShouldBe("spread-flow");
            body.GetProperty("definitionVersion").GetInt32().ShouldBe(1);
            (await teller.GetCase(body.Id())).GetProperty("waiting")[0].GetProperty("stepId").GetString().ShouldBe("ask", "the publishing Host runs the case opened on the other");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            process.Dispose();
        }
    }

    [Fact]
    public async Task a_version_published_from_the_command_line_reaches_a_running_host()
    {
        var other = host.StartAnotherHost();
        var file = Path.Combine(host.DataDirectory, "cli-flow.json");
        await File.WriteAllTextAsync(file, Flow("cli-flow", 3), TestContext.Current.CancellationToken);

        var (exit, output) = await host.RunCliAsync("publish", file);

        exit.ShouldBe(0, output);
        (await InCatalogOf(other.Services, "cli-flow", 3))!.Version.ShouldBe(3);
        (await host.RunCliAsync("publish", file)).Exit.ShouldBe(1, "a version is never published twice");
    }

    [Fact]
    public async Task a_host_whose_listening_connection_dropped_loads_the_versions_it_missed()
    {
        var other = host.StartAnotherHost();
        var parser = host.Services.GetRequiredService<DefinitionParser>();
        var missed = parser.Read(Flow("missed-flow", 1)).Definition!;
        await using (var session = host.Store.LightweightSession())
        {
            // Stored without a notification: as if it was sent while the Hosts were not listening.
            session.Insert(new StoredDefinition
            {
                Id = missed.Key, DefinitionId = missed.Id, Version = missed.Version, ContentHash = missed.ContentHash,
                Json = missed.CanonicalJson, PublishedAt = DateTimeOffset.UtcNow, PublishedBy = "test",
            });
            await session.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        other.Services.GetRequiredService<DefinitionCatalog>().Find("missed-flow", 1).ShouldBeNull();

        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var drop = new NpgsqlCommand("select count(pg_terminate_backend(pid)) from pg_stat_activity where query = 'listen vb_definitions_published'", connection);
        ((long)(await drop.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBeGreaterThanOrEqualTo(2, "both Hosts listen");

        (await InCatalogOf(other.Services, "missed-flow", 1))!.ContentHash.ShouldBe(missed.ContentHash);
        (await InCatalogOf(host.Services, "missed-flow", 1))!.ContentHash.ShouldBe(missed.ContentHash);
    }
}
