using System.Globalization;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VirtualBranch.Benchmarks;
using VirtualBranch.Engine;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Persistence;
using Wolverine;

// The benchmark. Usage (needs ConnectionStrings__Engine, see README):
//   dotnet run -c Release --project tests/Benchmarks -- [--cases 300] [--concurrency 1,4,16] [--http-clients 16]
//       [--growth 1000,10000,100000 | --growth none] [--replay-sample 10000] [--starts 5] [--only limit,limit-grouped,peer,engine,http]
//       [--out TestResults/bench.json] [--rounds 3] [--prefill 1000]
var options = BenchOptions.Parse(args);
var server = Environment.GetEnvironmentVariable("ConnectionStrings__Engine")
    ?? throw new InvalidOperationException("ConnectionStrings__Engine is not set: run `scripts/db.sh ensure; set -a; . .data/engine.env; set +a` first.");
var database = $"vb_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
await Sql(server, $"create database {database}");
var target = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
CpuMeter.Database = database;
var dataDirectory = Directory.CreateTempSubdirectory("vb-bench-").FullName;
var report = new Report(options.Output);
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_VIRTUALBRANCH_HOST",
    Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host"));
try
{
    var phone = new BenchmarkPhone();
    // A Host in this process, over real loopback TCP; the two-Host design starts a second one on the same database and data.
    WebApplicationFactory<EngineOptions> StartHost(bool sealPersonalData = true)
    {
        var factory = new WebApplicationFactory<EngineOptions>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Benchmark");
            web.UseSetting("ConnectionStrings:Engine", target);
            web.UseSetting("Engine:SoloNode", "true");
            web.UseSetting("Engine:Quiet", "true");
            // Checkpoints after seals run as in production; the scheduled one is run by the growth section itself, to time it.
            web.UseSetting("Engine:CheckpointIntervalSeconds", "0");
            web.UseSetting("Engine:CreateDemoAccounts", "true");
            web.UseSetting("Engine:DataDirectory", dataDirectory);
            // Every phone and the one teller of the HTTP run come from 127.0.0.1 as one caller, where a bank's customers each
            // have their own address: the abuse limits are raised out of reach (they still run on every request).
            foreach (var limit in new[] { "SignInPerAccount", "SignInPerAddress", "CustomerCodesPerAddress", "UploadsPerCaller" })
            {
                web.UseSetting($"Limits:{limit}:Permits", "100000000");
            }
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<VirtualBranch.Host.Customers.ICustomerMessenger>(phone);
                // The driver answers the recording's seal and the contract's signature itself: those intents go nowhere (the
                // handlers come from generated code, so they are routed away rather than left undiscovered); deadlines as the Host routes them.
                services.ConfigureWolverine(wolverine =>
                {
                    wolverine.Policies.DisableConventionalLocalRouting();
                    wolverine.PublishMessage<VirtualBranch.Host.Deadlines.DeadlineScheduled>().ToLocalQueue("deadlines");
                });
                if (!sealPersonalData)
                {
                    services.AddSingleton<VirtualBranch.Host.Privacy.IPersonalDataSealing>(new Unsealed());
                }
            });
        });
        factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0)); // the HTTP run goes over real loopback TCP
        factory.StartServer();
        return factory;
    }
    await using var factory = StartHost();
    await using var secondHost = options.Designs.Contains("http-2") ? StartHost() : null;
    // The engine as it was before personal data was sealed, beside it on the same database: what sealing costs.
    await using var unsealedHost = options.Designs.Contains("engine-unsealed") ? StartHost(sealPersonalData: false) : null;
    var services = factory.Services;
    static Uri AddressOf(WebApplicationFactory<EngineOptions> host) =>
        new(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    var baseAddress = AddressOf(factory);
    var store = services.GetRequiredService<IDocumentStore>();
    // The limit and the peer write with the engine's connection string and store settings, into a schema of their own
    // (their streams are not cases, and must not be replayed, verified or summarised as cases).
    using var baselines = DocumentStore.For(o =>
    {
        CaseStoreSetup.Configure(o, target, "baseline");
        o.Schema.For<PeerCase>();
        o.Schema.For<PeerAudit>();
    });
    await baselines.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    var loan = services.GetRequiredService<DefinitionCatalog>().Latest("loan-face-signing")!;
    var driver = new LoanDriver(loan, TimeProvider.System);
    var engine = LoanDriver.Engine(services.GetRequiredService<CaseCommandService>());
    var unsealed = unsealedHost is null ? null : LoanDriver.Engine(unsealedHost.Services.GetRequiredService<CaseCommandService>());
    var password = File.ReadAllLines(Path.Combine(dataDirectory, "demo-users.txt")).Single(l => l.StartsWith("teller ", StringComparison.Ordinal)).Split(' ')[2];
    using var teller = new TellerToken(baseAddress, "teller", password);
    var http = new HttpCases([baseAddress], teller, services.GetRequiredService<CaseCommandService>(), phone);
    var twoHosts = secondHost is null ? null : new HttpCases([baseAddress, AddressOf(secondHost)], teller, services.GetRequiredService<CaseCommandService>(), phone);
    var checks = new Checks(services);
    await using var limit = new Limit(baselines);
    report.Line($"VirtualBranch benchmark: {options.Cases} loan-face-signing cases per run, {LoanDriver.CommandsPerCase} commands per case; " +
        $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; PostgreSQL {await Scalar(target, "show server_version")}");

    // The limit appends copies of the engine's events, so Marten serialises them as it would any events' (the engine hands
    // the store the text its hash chain already wrote for its own).
    var storeSerializer = store.Options.Serializer();
    List<IReadOnlyList<object>> Copies(IEnumerable<IReadOnlyList<object>> events) => [.. events.Select(batch => (IReadOnlyList<object>)[.. batch.Select(e =>
        storeSerializer.FromJson(e.GetType(), new MemoryStream(System.Text.Encoding.UTF8.GetBytes(storeSerializer.ToJson(e)))))])];
    for (var i = 0; i < 10; i++)
    {
        await driver.RunAsync(-i - 1, engine); // warm up: JIT, pools, prepared statements
        var warm = Copies((await driver.RunAsync(-100 - i, engine)).Batches);
        await limit.RunAsync(warm, grouped: false);
        await limit.RunAsync(warm, grouped: true);
        await Peer.RunAsync(baselines);
        await driver.RunAsync(-200 - i, http.Executor);
        if (unsealed is not null)
        {
            await driver.RunAsync(-400 - i, unsealed);
        }
        if (twoHosts is not null)
        {
            await driver.RunAsync(-300 - i, twoHosts.Executor);
        }
    }
    var batches = Copies((await driver.RunAsync(-1000, engine)).Batches);
    // One case of each design: limit and limit-grouped append the engine's batches (one transaction per command, or
    // committed together with other cases'); the others drive a case (the case index is its correlation id).
    Func<int, Task<List<double>>> Design(string design) => design switch
    {
        "limit" => _ => limit.RunAsync(batches, grouped: false),
        "limit-grouped" => _ => limit.RunAsync(batches, grouped: true),
        "peer" => _ => Peer.RunAsync(baselines),
        "engine" => async i => (await driver.RunAsync(i, engine)).Latencies,
        "engine-unsealed" => async i => (await driver.RunAsync(i, unsealed!)).Latencies,
        "http" => async i => (await driver.RunAsync(i, http.Executor)).Latencies,
        "http-2" => async i => (await driver.RunAsync(i, twoHosts!.Executor)).Latencies,
        _ => throw new InvalidOperationException(design),
    };
    // A table PostgreSQL analysed while it was nearly empty gets plans that read it whole (a stream's version, the
    // foreign key of each event, a peer document by id), and pooled connections keep those plans until the next
    // analyze. A bank's store is never empty: each design's tables are filled first (the quickest way), then analysed.
    foreach (var design in options.Designs.Select(d => d switch { "limit" => "limit-grouped", "http" or "http-2" or "engine-unsealed" => "engine", _ => d }).Distinct())
    {
        await Run.MeasureAsync(options.Prefill, 16, Design(design));
    }
    var warming = await Warmup.UntilJitQuietAsync(options.Designs, Design);
    var eventsPerCase = batches.Sum(b => b.Count);
    report.Line($"events per case: {eventsPerCase} in {batches.Count} transactions " +
        $"({string.Join(", ", batches.SelectMany(b => b).GroupBy(e => e.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"))})");
    report.Set("eventsPerCase", eventsPerCase);
    report.Line($"warm-up until the JIT is quiet, methods compiled per pass of 100 cases: {string.Join("; ", warming)}");
    report.Line("events by command: " + string.Join("; ", LoanDriver.Commands.Zip(batches,
        (command, events) => $"{command} {events.Count} ({string.Join(", ", events.Select(e => e.GetType().Name))})")));
    var pure = new PureEngine(services.GetRequiredService<FlowFactory>(), services.GetRequiredService<DefinitionCatalog>(),
        services.GetRequiredService<BankSigner>(), store.Options.Serializer());
    CoreCost.Measure(pure, driver, services.GetRequiredService<DefinitionCatalog>(), 100); // warm up
    var core = CoreCost.Measure(pure, driver, services.GetRequiredService<DefinitionCatalog>(), options.Cases);
    report.Line(string.Create(CultureInfo.InvariantCulture,
        $"engine before the database, one thread, per command: decide {core.DecideMicroseconds:F0} µs, chain and seal {core.ChainMicroseconds:F0} µs (chain alone {core.ChainWithoutSealMicroseconds:F0} µs), summary {core.SummaryMicroseconds:F0} µs; {core.JsonCharsPerCommand:F0} characters ({core.JsonBytesPerCommand:F0} bytes) of event JSON per command, " +
        $"{core.CanonicalShare:P0} of events serialised in canonical form{(core.RewrittenTypes.Count > 0 ? $" (rewritten: {string.Join(", ", core.RewrittenTypes)})" : "")}"));
    report.Set("core", core);
    report.Set("cases", options.Cases);
    if (Environment.GetEnvironmentVariable("BENCH_SQL") == "1")
    {
        await SqlTrace.ReportAsync(report, options.Designs, Design);
    }
    await Sql(target, "vacuum analyze");
    var scansBefore = await SequentialScansAsync(target);

    // 1–4: limit, peer, engine at each concurrency, then the same case through HTTP.
    report.Table("| concurrency | design | cases/s | commands/s | events/s | p50 ms | p95 ms | p99 ms | CPU ms/command (bench process + its database backends) | methods JIT-compiled (JIT wall time) |");
    var runs = new List<object>();
    var byCommand = "";
    // Each round measures every design once, one after the other; the table shows each design's median round, and the
    // ratios are the medians of the ratios within a round (designs measured minutes apart on a machine that drifts).
    foreach (var concurrency in options.Concurrency)
    {
        var rounds = new List<Dictionary<string, Run>>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var measured = new Dictionary<string, Run>();
            foreach (var design in options.Designs)
            {
                measured[design] = await Run.MeasureAsync(options.Cases, concurrency, Design(design));
                runs.Add(measured[design].Figures(concurrency, design, eventsPerCase, round + 1));
            }
            rounds.Add(measured);
        }
        foreach (var design in options.Designs)
        {
            var median = Run.Median(rounds.Select(r => r[design]));
            report.Row(concurrency, design, median, eventsPerCase);
            if (design == "engine" && median.ByCommand.Count == LoanDriver.CommandsPerCase)
            {
                byCommand = $"at concurrency {concurrency}, ms: " +
                    string.Join(", ", LoanDriver.Commands.Zip(median.ByCommand, (c, p) => string.Create(CultureInfo.InvariantCulture, $"{c} {p:F1}")));
            }
        }
        string Ratio(string over, string under) => rounds.Select(r => r[over].CommandsPerSecond / r[under].CommandsPerSecond).ToList() is var each
            ? string.Create(CultureInfo.InvariantCulture, $"{over}/{under} {each.Order().ElementAt((each.Count - 1) / 2):P0}") +
              (each.Count > 1 ? $" ({string.Join(" ", each.Select(x => x.ToString("P0", CultureInfo.InvariantCulture)))})" : "")
            : "";
        // What a machine with nothing else to do would give, if CPU bound: the other's CPU per command over this one's.
        string CpuRatio(string over, string under) => rounds.Select(r => r[under].CpuPerCommand / r[over].CpuPerCommand).Order().ToList() is var each
            ? string.Create(CultureInfo.InvariantCulture, $"{over}/{under} by CPU per command {each[(each.Count - 1) / 2]:P0}") : "";
        if (options.Designs.Contains("engine"))
        {
            var ratios = new[] { "limit", "limit-grouped", "peer" }.Where(options.Designs.Contains).Select(d => Ratio("engine", d))
                .Concat(options.Designs.Contains("http") ? [Ratio("http", "engine")] : [])
                .Concat(options.Designs.Contains("http") && options.Designs.Contains("http-2") ? [Ratio("http-2", "http")] : [])
                .Concat(options.Designs.Contains("engine-unsealed") ? [Ratio("engine", "engine-unsealed")] : [])
                .Concat(new[] { "limit", "peer" }.Where(options.Designs.Contains).Select(d => CpuRatio("engine", d)));
            if (ratios.Any())
            {
                report.Line($"|  | {string.Join(", ", ratios)} | | | | | | | | |");
            }
        }
    }
    report.Set("runs", runs);
    var scans = (await SequentialScansAsync(target)).ToDictionary(t => t.Key, t => t.Value - scansBefore.GetValueOrDefault(t.Key));
    report.Line($"\nwhole-table reads during the runs (each of these tables is read by key; should be 0): {string.Join(", ", scans.Select(t => $"{t.Key} {t.Value}"))}");
    report.Set("sequentialScans", scans);
    if (byCommand.Length > 0)
    {
        report.Line($"\nengine p99 by command {byCommand}");
    }
    await checks.AllCompletedAsync(twoHosts is null ? http.Opened : [.. http.Opened, .. twoHosts.Opened]);

    // Start to ready of the built Host, against this database as it now is.
    if (options.Starts > 0)
    {
        var (median, all) = await StartTime.MeasureAsync(Path.Combine(AppContext.BaseDirectory, "VirtualBranch.Host.dll"), target, dataDirectory, options.Starts);
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"\nHost start to ready (Release build, {all.Count} starts): median {median:F2} s (each: {string.Join(", ", all.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))})"));
        report.Set("startToReadySeconds", new { median, all });
    }

    // 5–6: replay, verify and rebuild, and the engine again, as history grows.
    if (options.Growth.Count > 0)
    {
        var seeder = new HistorySeeder(store, services.GetRequiredService<NpgsqlDataSource>(), pure, services.GetRequiredService<DefinitionCatalog>(), driver);
        var growth = new List<object>();
        report.Line($"\nAs the store grows (engine and replay passes: median of {options.Rounds} rounds; the rebuild once):");
        report.Table("| cases in store | events in store | seeded in s | checkpoint s (cases anchored) | checkpoint tables MB | engine commands/s (c=16) | engine p99 ms | engine CPU ms/command | read only events/s | replay: fold events/s | verify (chain + anchor) events/s | rebuild CaseSummary events/s (whole store) |");
        foreach (var level in options.Growth)
        {
            var stored = await checks.CaseCountAsync();
            var seeding = System.Diagnostics.Stopwatch.StartNew();
            if (level > stored)
            {
                await seeder.SeedAsync((int)(level - stored));
            }
            var seeded = seeding.Elapsed.TotalSeconds;
            await Sql(target, "vacuum analyze");
            var checkpoint = await Replay.CheckpointAsync(services, async sql => long.Parse(await Scalar(target, sql), CultureInfo.InvariantCulture));
            // The same rounds as above: the engine and the replay passes once per round, each figure the median of its rounds.
            var engineRuns = new List<Run>();
            var replays = new List<ReplayFigures>();
            for (var round = 0; round < options.Rounds; round++)
            {
                engineRuns.Add(await Run.MeasureAsync(options.Cases, 16, async i => (await driver.RunAsync(i, engine)).Latencies));
                replays.Add(await Replay.MeasureAsync(services, options.ReplaySample));
            }
            var rebuild = await Replay.RebuildAsync(services);
            static double Median(IEnumerable<double> values) => values.Order().ToList() is var sorted ? sorted[(sorted.Count - 1) / 2] : 0;
            var engineRun = Run.Median(engineRuns);
            var cpu = Median(engineRuns.Select(r => r.CpuPerCommand));
            var (scan, fold, verify) = (Median(replays.Select(r => r.ScanEventsPerSecond)), Median(replays.Select(r => r.FoldEventsPerSecond)),
                Median(replays.Select(r => r.VerifyEventsPerSecond)));
            var figures = new
            {
                cases = await checks.CaseCountAsync(), events = await checks.EventCountAsync(), seededSeconds = seeded, checkpoint,
                engineCommandsPerSecond = engineRun.CommandsPerSecond, engineP99 = engineRun.P(99), engineCpuMsPerCommand = cpu,
                engineRounds = engineRuns.Select(r => r.CommandsPerSecond), replay = replays, rebuild,
            };
            growth.Add(figures);
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| {figures.cases:N0} | {figures.events:N0} | {seeded:F0} | {checkpoint.Seconds:F2} ({checkpoint.AnchoredCases:N0}) | {checkpoint.TablesMegabytes:F1} | {engineRun.CommandsPerSecond:F0} | {engineRun.P(99):F1} | {cpu:F2} | " +
                $"{scan:F0} | {fold:F0} ({replays[0].SampleCases:N0} cases) | {verify:F0} | {rebuild.RebuildEventsPerSecond:F0} |"));
        }
        report.Set("growth", growth);
    }
    await report.SaveAsync();
}
finally
{
    NpgsqlConnection.ClearAllPools();
    // An autovacuum worker busy on the big tables can refuse the forced drop (our role may not end it): try again.
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await Sql(server, $"drop database if exists {database} with (force)");
            break;
        }
        catch (PostgresException ex) when (attempt < 30)
        {
            Console.Error.WriteLine($"dropping {database}: {ex.MessageText}; trying again");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
    Directory.Delete(dataDirectory, recursive: true);
}
return 0;

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

// Sequential scans so far of the tables every command reads by key. A busy connection reports its counts at most
// once a second and an idle one within 10 s, so the counts are read once every connection has had time to report.
static async Task<Dictionary<string, long>> SequentialScansAsync(string connectionString)
{
    await Task.Delay(TimeSpan.FromSeconds(11));
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "select schemaname || '.' || relname, seq_scan from pg_stat_user_tables where relname in ('mt_streams', 'mt_doc_peercase') order by 1", connection);
    var scans = new Dictionary<string, long>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        scans[reader.GetString(0)] = reader.GetInt64(1);
    }
    return scans;
}

static async Task<string> Scalar(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
}

/// <summary>Seals nothing: the engine as it stored events before personal data was sealed, for the comparison.</summary>
internal sealed class Unsealed : VirtualBranch.Host.Privacy.IPersonalDataSealing
{
    public Task<Func<string, string>?> ProtectionForAsync(Guid caseId, VirtualBranch.Engine.Definitions.WorkflowDefinition definition,
        VirtualBranch.Engine.Runtime.CaseState? before, VirtualBranch.Engine.Runtime.CaseState after, VirtualBranch.Engine.Runtime.CaseCommand command,
        CancellationToken cancellation) => Task.FromResult<Func<string, string>?>(null);
}
