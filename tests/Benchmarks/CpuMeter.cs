using System.Diagnostics;
using System.Globalization;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// CPU spent during a run: by this process (the engine or client side), by the PostgreSQL backends serving the
/// benchmark's database, and by everything else on the machine (from <c>/proc</c>). CPU per command is steadier than
/// commands per second on a shared, noisy machine; the backends' share is the database's cost of this run alone,
/// whatever else the machine is doing (a backend that ends during the run takes its share with it).
/// </summary>
public sealed class CpuMeter
{
    /// <summary>The benchmark's database: its backends' process titles name it (<c>postgres: user database host(port) state</c>).</summary>
    public static string? Database { get; set; }

    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _machine = MachineBusySeconds();
    private readonly Dictionary<int, double> _backends = BackendSeconds();
    private readonly TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();
    private readonly long _jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly int _gen0 = GC.CollectionCount(0);
    private readonly int _gen2 = GC.CollectionCount(2);

    /// <summary>Time the process stood still for garbage collection, and the collections (gen0, gen2), since the meter was made.</summary>
    public (double PausedSeconds, int Gen0, int Gen2) Collections() =>
        ((GC.GetTotalPauseDuration() - _paused).TotalSeconds, GC.CollectionCount(0) - _gen0, GC.CollectionCount(2) - _gen2);

    /// <summary>Seconds the JIT spent compiling (on any thread, as wall time: a busy machine inflates it) since the meter was made: code still being tiered up is not steady state.</summary>
    public double JitSeconds() => (System.Runtime.JitInfo.GetCompilationTime() - _jit).TotalSeconds;

    /// <summary>Methods compiled (or recompiled at a higher tier) since the meter was made: unlike the JIT's time, not inflated by a busy machine.</summary>
    public long JitMethods() => System.Runtime.JitInfo.GetCompiledMethodCount() - _jitted;

    /// <summary>(this process, the benchmark database's backends, the rest of the machine) in CPU seconds since the meter was made.</summary>
    public (double Process, double Database, double Others) Elapsed()
    {
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var database = BackendSeconds().Sum(b => b.Value - _backends.GetValueOrDefault(b.Key));
        var machine = MachineBusySeconds() - _machine;
        return (process, database, Math.Max(0, machine - process - database));
    }

    private static double MachineBusySeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal ...  (in clock ticks, 100 per second on Linux)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Select((v, i) => i is 3 or 4 ? 0 : v).Take(8).Sum();
        return busy / 100.0;
    }

    // utime + stime (fields 14 and 15 of /proc/<pid>/stat, after the parenthesised name) of each backend of the database.
    private static Dictionary<int, double> BackendSeconds()
    {
        var backends = new Dictionary<int, double>();
        if (Database is not { } database)
        {
            return backends;
        }
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                var title = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!title.StartsWith("postgres: ", StringComparison.Ordinal) || title.Split(' ') is not [_, _, var name, ..] || name != database)
                {
                    continue;
                }
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                backends[pid] = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                // the process ended while it was read
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return backends;
    }
}
