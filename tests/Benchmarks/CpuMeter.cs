using System.Diagnostics;
using System.Globalization;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// CPU spent during a run: by this process (the engine or client side) and by everything else on the machine
/// (mostly PostgreSQL, which runs beside it), from <c>/proc/stat</c>. CPU per command is steadier than
/// commands per second on a shared, noisy machine.
/// </summary>
public sealed class CpuMeter
{
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _machine = MachineBusySeconds();
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly int _gen0 = GC.CollectionCount(0);
    private readonly int _gen2 = GC.CollectionCount(2);

    /// <summary>Time the process stood still for garbage collection, and the collections (gen0, gen2), since the meter was made.</summary>
    public (double PausedSeconds, int Gen0, int Gen2) Collections() =>
        ((GC.GetTotalPauseDuration() - _paused).TotalSeconds, GC.CollectionCount(0) - _gen0, GC.CollectionCount(2) - _gen2);

    /// <summary>(this process, the rest of the machine) in CPU seconds since the meter was made.</summary>
    public (double Process, double Others) Elapsed()
    {
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var machine = MachineBusySeconds() - _machine;
        return (process, Math.Max(0, machine - process));
    }

    private static double MachineBusySeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal ...  (in clock ticks, 100 per second on Linux)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Select((v, i) => i is 3 or 4 ? 0 : v).Take(8).Sum();
        return busy / 100.0;
    }
}
