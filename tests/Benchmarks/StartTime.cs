using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// Start to ready: the built Release Host started as a process (as <c>./run.sh</c> does) against an existing database,
/// timed until <c>/health/ready</c> answers 200. The median of several starts.
/// </summary>
public static class StartTime
{
    public static async Task<(double Median, IReadOnlyList<double> All)> MeasureAsync(string hostDll, string connectionString, string dataDirectory, int starts = 5)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var all = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", $"http://127.0.0.1:{port}", "--environment", "Production"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            };
            start.Environment["ConnectionStrings__Engine"] = connectionString;
            start.Environment["Engine__DataDirectory"] = dataDirectory;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            try
            {
                while (true)
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"the Host exited with {process.ExitCode} before it was ready");
                    }
                    if (clock.Elapsed > TimeSpan.FromSeconds(60))
                    {
                        throw new TimeoutException("the Host was not ready within 60 s");
                    }
                    try
                    {
                        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // not listening yet
                    }
                    await Task.Delay(20); // polling interval of the probe, not a timing assumption
                }
                all.Add(clock.Elapsed.TotalSeconds);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return (all.Order().ElementAt(all.Count / 2), all);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
