using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualBranch.Benchmarks;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Evidence;

// The benchmark: limit, peer and engine at concurrency 1, 4 and 16, then replay, verify and projection rebuild.
// Usage: dotnet run -c Release --project tests/Benchmarks -- [--cases N] [--out file.json]   (needs ConnectionStrings__Engine)
var cases = Arg("--cases", 200);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(EngineOptionsSetup.FindRepositoryRoot(Directory.GetCurrentDirectory()), "TestResults", "bench.json");
var server = Environment.GetEnvironmentVariable("ConnectionStrings__Engine")
    ?? throw new InvalidOperationException("ConnectionStrings__Engine is not set: run `scripts/db.sh ensure; set -a; . .data/engine.env; set +a` first.");
var database = $"vb_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
await Sql(server, $"create database {database}");
var target = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
var results = new Dictionary<string, object>();
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VIRTUALBRANCH_HOST",
    Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host"));
try
{
    await using var factory = new WebApplicationFactory<EngineOptions>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Benchmark");
        web.UseSetting("ConnectionStrings:Engine", target);
        web.UseSetting("Engine:SoloNode", "true");
        web.UseSetting("Engine:Quiet", "true");
        web.UseSetting("Engine:CarryOutIntents", "false");
        web.UseSetting("Engine:DataDirectory", Directory.CreateTempSubdirectory("vb-bench-").FullName);
    });
    var services = factory.Services;
    var store = services.GetRequiredService<IDocumentStore>();
    var loan = services.GetRequiredService<DefinitionCatalog>().Find("loan-face-signing", 1)!;
    var driver = new LoanDriver(services.GetRequiredService<CaseCommandService>(), loan, TimeProvider.System);
    Console.WriteLine($"VirtualBranch benchmark: {cases} loan-face-signing cases per run, {LoanDriver.CommandsPerCase} commands per case; {Environment.ProcessorCount} cores, .NET {Environment.Version}");

    for (var i = 0; i < 10; i++)
    {
        await driver.RunAsync(-i - 1); // warm up: JIT, pools, prepared statements
        await Limit.RunAsync(store, (await driver.RunAsync(-100 - i)).Batches);
        await Peer.RunAsync(store);
    }
    var batches = (await driver.RunAsync(-1000)).Batches;
    var eventsPerCase = batches.Sum(b => b.Count);
    Console.WriteLine($"events per case: {eventsPerCase} in {batches.Count} transactions");
    Console.WriteLine();
    Console.WriteLine("| concurrency | design | cases/s | commands/s | events/s | p50 ms | p95 ms | p99 ms |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
    var runs = new List<object>();
    foreach (var concurrency in new[] { 1, 4, 16 })
    {
        var limit = await Measure(cases, concurrency, _ => Limit.RunAsync(store, batches));
        var peer = await Measure(cases, concurrency, _ => Peer.RunAsync(store));
        var engine = await Measure(cases, concurrency, async i => (await driver.RunAsync(i)).Latencies);
        foreach (var (name, run) in new[] { ("limit", limit), ("peer", peer), ("engine", engine) })
        {
            var commandsPerSecond = run.Latencies.Count / run.Seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {name} | {cases / run.Seconds:F0} | {commandsPerSecond:F0} | {cases * eventsPerCase / run.Seconds:F0} | {P(run.Latencies, 50):F1} | {P(run.Latencies, 95):F1} | {P(run.Latencies, 99):F1} |"));
            runs.Add(new { concurrency, design = name, casesPerSecond = cases / run.Seconds, commandsPerSecond, eventsPerSecond = cases * eventsPerCase / run.Seconds,
                p50 = P(run.Latencies, 50), p95 = P(run.Latencies, 95), p99 = P(run.Latencies, 99) });
        }
        var e = engine.Latencies.Count / engine.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"|  | engine/limit {e / (limit.Latencies.Count / limit.Seconds):P0}, engine/peer {e / (peer.Latencies.Count / peer.Seconds):P0} | | | | | | |"));
    }
    results["runs"] = runs;
    results["replay"] = await Replay(services, store);
    results["eventsPerCase"] = eventsPerCase;
    results["cases"] = cases;
    results["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"\nfigures written to {output}");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Sql(server, $"drop database if exists {database} with (force)");
}
return 0;

static async Task<(double Seconds, List<double> Latencies)> Measure(int count, int concurrency, Func<int, Task<List<double>>> one)
{
    var next = -1;
    var all = new List<double>[concurrency];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        all[worker] = [];
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            all[worker].AddRange(await one(i));
        }
    }));
    return (clock.Elapsed.TotalSeconds, [.. all.SelectMany(l => l)]);
}

static async Task<object> Replay(IServiceProvider services, IDocumentStore store)
{
    var ids = await services.GetRequiredService<StoredEvents>().AllCaseIdsAsync(CancellationToken.None);
    var events = 0L;
    var clock = Stopwatch.StartNew();
    foreach (var chunk in ids.Chunk(100))
    {
        await using var session = store.QuerySession();
        foreach (var id in chunk)
        {
            var stream = await session.Events.FetchStreamAsync(id);
            events += stream.Count;
            _ = CaseEvolver.Fold(stream.Select(e => e.Data));
        }
    }
    var fold = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var verifier = services.GetRequiredService<StoredEvents>();
    foreach (var id in ids)
    {
        var (rows, version) = await verifier.ReadAsync(id, CancellationToken.None);
        if (!ChainVerifier.Verify(rows, version).Intact)
        {
            throw new InvalidOperationException($"case {id} does not verify");
        }
    }
    var verify = clock.Elapsed.TotalSeconds;
    clock.Restart();
    await using (var wipe = store.LightweightSession())
    {
        wipe.DeleteWhere<CaseSummary>(_ => true);
        await wipe.SaveChangesAsync();
    }
    foreach (var chunk in ids.Chunk(200))
    {
        await using var session = store.LightweightSession();
        foreach (var id in chunk)
        {
            var state = await CaseStreams.LoadAsync(session, id);
            session.Store(CaseSummary.From(state!, Retention.DefaultYears));
        }
        await session.SaveChangesAsync();
    }
    var rebuild = clock.Elapsed.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine($"| replay ({ids.Count} cases, {events} events) | seconds | events/s |");
    Console.WriteLine("| --- | --- | --- |");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| rebuild state (fold) | {fold:F2} | {events / fold:F0} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| verify hash chains | {verify:F2} | {events / verify:F0} |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| rebuild CaseSummary | {rebuild:F2} | {events / rebuild:F0} |"));
    return new { cases = ids.Count, events, foldEventsPerSecond = events / fold, verifyEventsPerSecond = events / verify, rebuildEventsPerSecond = events / rebuild };
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
