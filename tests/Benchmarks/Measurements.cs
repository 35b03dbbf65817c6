using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Benchmarks;

/// <summary>The command line: how many cases, at which concurrencies, which designs, which store sizes.</summary>
public sealed record BenchOptions(int Cases, IReadOnlyList<int> Concurrency, IReadOnlyList<string> Designs, IReadOnlyList<int> Growth, int ReplaySample, int Starts,
    string Output, int Rounds, int Prefill)
{
    /// <summary>The designs measured, in this order.</summary>
    public static readonly string[] Known = ["limit", "limit-grouped", "peer", "engine", "engine-unsealed", "http", "http-2"];

    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        IReadOnlyList<int> Numbers(string? text, IReadOnlyList<int> fallback) => text is null ? fallback
            : text == "none" ? [] : [.. text.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
        var designs = Value("--only")?.Split(',') ?? Known;
        if (designs.FirstOrDefault(d => d != "none" && !Known.Contains(d)) is { } unknown)
        {
            throw new ArgumentException($"--only: there is no design '{unknown}'; the designs are {string.Join(", ", Known)} (or none).");
        }
        return new BenchOptions(
            Numbers(Value("--cases"), [300])[0],
            Numbers(Value("--concurrency"), [1, 4, 16]),
            [.. designs.Where(d => d != "none")],
            Numbers(Value("--growth"), [1_000, 10_000, 100_000]),
            Numbers(Value("--replay-sample"), [10_000])[0],
            Numbers(Value("--starts"), [5])[0],
            Value("--out") ?? Path.Combine(EngineOptionsSetup.FindRepositoryRoot(Directory.GetCurrentDirectory()), "TestResults", "bench.json"),
            Math.Max(1, Numbers(Value("--rounds"), [3])[0]),
            Numbers(Value("--prefill"), [1_000])[0]);
    }
}

/// <summary>One timed run of N cases by a number of concurrent workers, with the CPU it took.</summary>
public sealed class Run
{
    private Run(int cases, double seconds, List<List<double>> perCase, (double Process, double Database, double Others) cpu, double jitSeconds, long jitMethods)
    {
        JitSeconds = jitSeconds;
        JitMethods = jitMethods;
        Cases = cases;
        Seconds = seconds;
        Latencies = [.. perCase.SelectMany(l => l).Order()];
        ByCommand = perCase.Select(l => l.Count).Distinct().Count() == 1
            ? [.. Enumerable.Range(0, perCase[0].Count).Select(i => Percentile(perCase.Select(l => l[i]).Order().ToList(), 99))]
            : [];
        Cpu = cpu;
    }

    public int Cases { get; }

    public double Seconds { get; }

    /// <summary>Every command's latency in ms, sorted.</summary>
    public IReadOnlyList<double> Latencies { get; }

    public (double Process, double Database, double Others) Cpu { get; }

    /// <summary>Seconds the JIT spent compiling during the run, as wall time (a busy machine inflates it).</summary>
    public double JitSeconds { get; }

    /// <summary>Methods the JIT compiled or recompiled during the run.</summary>
    public long JitMethods { get; }

    /// <summary>CPU ms per command: this process and the database's backends (the two the design's cost is made of).</summary>
    public double CpuPerCommand => 1000 * (Cpu.Process + Cpu.Database) / Latencies.Count;

    /// <summary>The p99 latency (ms) of each command of the case, in the order the case runs them (when every case ran the same number).</summary>
    public IReadOnlyList<double> ByCommand { get; }

    public double CommandsPerSecond => Latencies.Count / Seconds;

    public double P(int percentile) => Percentile(Latencies, percentile);

    private static double Percentile(IReadOnlyList<double> sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static async Task<Run> MeasureAsync(int cases, int concurrency, Func<int, Task<List<double>>> one)
    {
        var cpu = new CpuMeter();
        var next = -1;
        var all = new List<List<double>>[concurrency];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            all[worker] = [];
            int i;
            while ((i = Interlocked.Increment(ref next)) < cases)
            {
                all[worker].Add(await one(i));
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var (paused, gen0, gen2) = cpu.Collections();
        if (Environment.GetEnvironmentVariable("BENCH_GC") == "1")
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   gc: paused {paused:F2} s of {seconds:F2} s, {gen0} gen0, {gen2} gen2"));
        }
        return new Run(cases, seconds, [.. all.SelectMany(l => l)], cpu.Elapsed(), cpu.JitSeconds(), cpu.JitMethods());
    }

    /// <summary>The run with the median commands/s (the lower middle one of an even count).</summary>
    public static Run Median(IEnumerable<Run> runs) => runs.OrderBy(r => r.CommandsPerSecond).ToList() is var sorted ? sorted[(sorted.Count - 1) / 2] : null!;

    public object Figures(int concurrency, string design, int eventsPerCase, int round) => new
    {
        concurrency, design, round, casesPerSecond = Cases / Seconds, commandsPerSecond = CommandsPerSecond, eventsPerSecond = Cases * eventsPerCase / Seconds,
        p50 = P(50), p95 = P(95), p99 = P(99), p99ByCommand = ByCommand,
        cpuMsPerCommandProcess = 1000 * Cpu.Process / Latencies.Count, cpuMsPerCommandDatabase = 1000 * Cpu.Database / Latencies.Count,
        cpuMsPerCommandOthers = 1000 * Cpu.Others / Latencies.Count, jitSeconds = JitSeconds, jitMethods = JitMethods,
    };
}

/// <summary>What the benchmark prints (a markdown table for the README) and the JSON file of every figure.</summary>
public sealed class Report(string output)
{
    private readonly Dictionary<string, object> _figures = new() { ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}" };

    public void Line(string text) => Console.WriteLine(text);

    public void Table(string header)
    {
        Console.WriteLine(header);
        Console.WriteLine(string.Concat(header.Count(c => c == '|') - 1 is var n ? Enumerable.Repeat("| --- ", n) : []) + "|");
    }

    public void Row(int concurrency, string design, Run run, int eventsPerCase) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {concurrency} | {design} | {run.Cases / run.Seconds:F0} | {run.CommandsPerSecond:F0} | {run.Cases * eventsPerCase / run.Seconds:F0} | " +
        $"{run.P(50):F1} | {run.P(95):F1} | {run.P(99):F1} | {1000 * run.Cpu.Process / run.Latencies.Count:F2} + {1000 * run.Cpu.Database / run.Latencies.Count:F2} | {run.JitMethods} ({run.JitSeconds:F1} s) |"));

    public void Set(string name, object value) => _figures[name] = value;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task SaveAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(_figures, Indented));
        Console.WriteLine($"\nfigures written to {output}");
    }
}

/// <summary>Sanity checks on what the runs left behind: a benchmark whose cases did not complete measures nothing.</summary>
public sealed class Checks(IServiceProvider services)
{
    private readonly NpgsqlDataSource _database = services.GetRequiredService<NpgsqlDataSource>();

    public async Task AllCompletedAsync(IEnumerable<Guid> caseIds)
    {
        var ids = caseIds.ToArray();
        await using var command = _database.CreateCommand("select count(*) from vb.mt_doc_casesummary where id = any($1) and data ->> 'Status' <> 'completed'");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        if ((long)(await command.ExecuteScalarAsync())! is var open and > 0)
        {
            throw new InvalidOperationException($"{open} of the {ids.Length} cases driven over HTTP did not complete");
        }
        await using var all = _database.CreateCommand("select count(*) from vb.mt_doc_casesummary where data ->> 'Status' <> 'completed'");
        if ((long)(await all.ExecuteScalarAsync())! is var unfinished and > 0)
        {
            throw new InvalidOperationException($"{unfinished} cases did not complete");
        }
    }

    public async Task<long> CaseCountAsync() => await CountAsync("select count(*) from vb.mt_doc_casesummary");

    public async Task<long> EventCountAsync() => await CountAsync("select count(*) from vb.mt_events");

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
