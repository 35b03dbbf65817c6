using System.Collections.Concurrent;
using System.Diagnostics;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// Round trips to PostgreSQL while it listens (Npgsql's activities: one per command or batch sent), with the SQL of
/// each: what a design sends per command, without server-side statement logging (which this role may not turn on).
/// </summary>
public sealed class SqlTrace : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, int> _statements = new();
    private int _roundTrips;

    public SqlTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                Interlocked.Increment(ref _roundTrips);
                var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
                _statements.AddOrUpdate(Shorten(text), 1, (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int RoundTrips => _roundTrips;

    /// <summary>Each distinct statement (shortened) with how often it was sent, most frequent first.</summary>
    public IEnumerable<(string Sql, int Count)> Statements => _statements.OrderByDescending(s => s.Value).Select(s => (s.Key, s.Value));

    public void Dispose() => _listener.Dispose();

    /// <summary>Round trips and statements per command of each design, over 20 cases at concurrency 16.</summary>
    public static async Task ReportAsync(Report report, IEnumerable<string> designs, Func<string, Func<int, Task<List<double>>>> design)
    {
        foreach (var name in designs)
        {
            using var trace = new SqlTrace();
            var traced = await Run.MeasureAsync(20, 16, design(name));
            report.Line(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: {(double)trace.RoundTrips / traced.Latencies.Count:F2} round trips per command"));
            foreach (var (sql, count) in trace.Statements.Take(12))
            {
                report.Line(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"   {(double)count / traced.Latencies.Count:F2}/command  {sql}"));
            }
        }
    }

    private static string Shorten(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length > 400 ? flat[..400] + "…" : flat;
    }
}
