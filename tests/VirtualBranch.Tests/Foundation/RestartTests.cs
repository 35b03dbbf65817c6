using System.Diagnostics;
using System.Net;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>A node that died leaves things behind in the database; the next start must not trip over them.</summary>
public sealed class RestartTests
{
    private const string RecurringLock = "hangfire:lock:recurring-job:deadline-sweep";

    /// <summary>The deadline sweep, the retention sweep and the idempotency-key sweep.</summary>
    private const int Jobs = 3;

    [Fact]
    public async Task a_host_starts_and_serves_while_a_dead_node_holds_the_recurring_job_lock_and_registers_the_jobs_once_it_is_freed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = Directory.CreateTempSubdirectory("vb-restart-").FullName;
        await using (var first = await RunningHost.StartAsync(database, data))
        {
            await Eventually.Until(() => database.ScalarAsync<long>("select count(*) from hangfire.set where key = 'recurring-jobs'"), n => n == Jobs,
                TimeSpan.FromSeconds(60), n => $"the first start registered {n} of the {Jobs} recurring jobs");
        }
        // What a node killed in the middle of registering leaves: the lock row, and (for this test) no registration.
        await database.ExecuteAsync("delete from hangfire.lock");
        await database.ExecuteAsync("delete from hangfire.set where key = 'recurring-jobs'");
        await database.ExecuteAsync("delete from hangfire.hash where key like 'recurring-job:%'");
        await database.ExecuteAsync($"insert into hangfire.lock (resource, updatecount, acquired) values ('{RecurringLock}', 0, now())");

        await using var second = await RunningHost.StartAsync(database, data);

        (await database.ScalarAsync<long>($"select count(*) from hangfire.lock where resource = '{RecurringLock}'"))
            .ShouldBe(1, "the Host was ready while the lock was still held");
        second.HasExited.ShouldBeFalse();
        await database.ExecuteAsync($"delete from hangfire.lock where resource = '{RecurringLock}'"); // the lock times out
        await Eventually.Until(() => database.ScalarAsync<long>("select count(*) from hangfire.set where key = 'recurring-jobs'"), n => n == Jobs,
            TimeSpan.FromSeconds(90), n => $"{n} of the {Jobs} recurring jobs registered after the lock was freed");
    }

    /// <summary>The built Host as a process, ready (its /health/ready answers 200) when <see cref="StartAsync"/> returns.</summary>
    private sealed class RunningHost : IAsyncDisposable
    {
        private readonly Process _process;

        private RunningHost(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public static async Task<RunningHost> StartAsync(TestDatabase database, string dataDirectory)
        {
            var port = HostProcess.FreePort();
            var process = HostProcess.Start(["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>
            {
                ["ConnectionStrings__Engine"] = database.ConnectionString,
                ["Engine__DataDirectory"] = dataDirectory,
            });
            _ = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var running = new RunningHost(process);
            try
            {
                var state = await Eventually.Until(async () =>
                {
                    if (process.HasExited)
                    {
                        return $"exited with {process.ExitCode}: {await errors}";
                    }
                    try
                    {
                        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                        return response.StatusCode == HttpStatusCode.OK ? "ready" : $"answered {(int)response.StatusCode}";
                    }
                    catch (HttpRequestException ex)
                    {
                        return $"not listening: {ex.Message}";
                    }
                }, state => state == "ready" || state.StartsWith("exited", StringComparison.Ordinal), TimeSpan.FromSeconds(90), state => state);
                state.ShouldBe("ready");
                return running;
            }
            catch
            {
                await running.DisposeAsync(); // never leave a Host running (and holding the test database) behind
                throw;
            }
        }

        /// <summary>Stops the Host as an operator's Ctrl-C would (SIGTERM), so it leaves nothing behind of its own.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await _process.WaitForExitAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }
    }
}
