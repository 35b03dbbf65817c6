namespace VirtualBranch.Benchmarks;

/// <summary>
/// Runs each design until the JIT is quiet. Tiered compilation goes on compiling (again, with profile data) well after
/// code first runs: on the busy two-core machine, perf showed the JIT taking half the benchmark process's CPU in the
/// first half minute after the prefill, which whichever design was measured then paid for. Rounds measure steady state.
/// </summary>
public static class Warmup
{
    private const int MaxPasses = 10;

    /// <summary>Passes of 100 cases at concurrency 16 per design until one compiles fewer than 20 methods; the methods compiled in each pass, per design.</summary>
    public static async Task<List<string>> UntilJitQuietAsync(IEnumerable<string> designs, Func<string, Func<int, Task<List<double>>>> design)
    {
        var warming = new List<string>();
        foreach (var name in designs)
        {
            var passes = new List<long>();
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var warm = await Run.MeasureAsync(100, 16, design(name));
                passes.Add(warm.JitMethods);
                if (warm.JitMethods < 20)
                {
                    break;
                }
            }
            warming.Add($"{name} {string.Join(" ", passes)}");
        }
        return warming;
    }
}
