using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VirtualBranch.Tests.Faults;

/// <summary>One command as the driver sent it and how it ended: the log the streams are checked against.</summary>
/// <c>CutOff</c> counts the attempts a Host dropped after taking the request (not those refused at the door).
public sealed record SentCommand(string Key, string What, Guid? CaseId, int Attempts, HttpStatusCode Status, bool Replayed, int CutOff);

/// <summary>
/// Sends case commands to two Hosts as a load balancer would: each to either Host, and when the Host dies under it (the
/// connection refused or cut), the same request with the same <c>Idempotency-Key</c> to the other one. A command the dead
/// Host committed is answered from its key; one it did not is done then; never twice.
/// </summary>
public sealed class ChaosDriver(TwoHostProcesses hosts, string token, int seed)
{
    private readonly Random _random = new(seed);
    private readonly HttpClient[] _clients = [Client(hosts.Address(0), token), Client(hosts.Address(1), token)];
    private int _completed;

    public ConcurrentBag<SentCommand> Log { get; } = [];

    /// <summary>Commands answered so far (the killer waits on this count, never on time).</summary>
    public int Completed => Volatile.Read(ref _completed);

    public async Task<Guid> OpenAsync()
    {
        var (status, body, attempts, replayed, key, cut) = await SendAsync(HttpMethod.Post, "/api/cases", new { definitionId = ChaosFlow.Id, data = new { } });
        var id = body.GetProperty("id").GetGuid();
        Log.Add(new SentCommand(key, "open", id, attempts, status, replayed, cut));
        return id;
    }

    public async Task ResumeAsync(Guid caseId, string stepId)
    {
        var (status, _, attempts, replayed, key, cut) = await SendAsync(HttpMethod.Post, $"/api/cases/{caseId}/bookmarks/{stepId}.1", new { input = new { by = "driver" } });
        Log.Add(new SentCommand(key, stepId, caseId, attempts, status, replayed, cut));
    }

    public async Task<JsonElement> ReadAsync(Guid caseId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _clients[attempt % 2].GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}", TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException) when (attempt < 20) { } // that Host is down: ask the other
        }
    }

    private async Task<(HttpStatusCode, JsonElement, int, bool, string, int)> SendAsync(HttpMethod method, string path, object body)
    {
        var key = Guid.NewGuid().ToString();
        var cut = 0;
        int first;
        lock (_random)
        {
            first = _random.Next(2);
        }
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            try
            {
                using var response = await _clients[(first + attempt) % 2].SendAsync(request, TestContext.Current.CancellationToken);
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway && attempt < 40)
                {
                    continue; // a Host that is starting or draining: as if it were down
                }
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                Interlocked.Increment(ref _completed);
                return (response.StatusCode, answer, attempt + 1, response.Headers.Contains("Idempotent-Replayed"), key, cut);
            }
            catch (HttpRequestException ex) when (attempt < 40)
            {
                // Refused (the Host is down) or cut off mid-request (killed while handling it): the other Host, the same key.
                if (ex.InnerException is not System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
                {
                    cut++;
                }
            }
            catch (IOException) when (attempt < 40)
            {
                cut++;
            }
        }
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The chaos flow for <paramref name="cases"/> cases under faults: every case opened and its first step taken, then (once
    /// each case's timer has fired, on whichever Host holds the job, or the minute's sweep for a job cut off mid-way) its
    /// second step; each phase in <paramref name="faultsPerPhase"/> slices with one fault each. Returns the cases and the faults.
    /// </summary>
    public async Task<(Guid[] Ids, int Faults)> RunTwoPhasesAsync(Random chooser, int cases, int faultsPerPhase, Func<int, Task> fault)
    {
        var ids = new Guid[cases];
        var faults = await RunInSlicesAsync(chooser, faultsPerPhase, Enumerable.Range(0, cases).Select(i => (Func<Task>)(async () =>
        {
            ids[i] = await OpenAsync();
            await ResumeAsync(ids[i], "first");
        })).ToList(), fault);
        foreach (var id in ids)
        {
            await Support.Eventually.Until(() => ReadAsync(id), c => c.GetProperty("waiting").EnumerateArray().Any(w => w.GetProperty("stepId").GetString() == "second"),
                TimeSpan.FromMinutes(4), c => $"case {id}'s timer never fired: {c}");
        }
        faults += await RunInSlicesAsync(chooser, faultsPerPhase, ids.Select(id => (Func<Task>)(() => ResumeAsync(id, "second"))).ToList(), fault);
        return (ids, faults);
    }

    /// <summary>
    /// Runs the work eight at a time in slices; in each slice, once a random number of its commands are answered, one Host
    /// chosen at random suffers the fault (killed, or stopped) and is started again when the slice is done. Returns the faults.
    /// </summary>
    public async Task<int> RunInSlicesAsync(Random chooser, int slices, IReadOnlyList<Func<Task>> work, Func<int, Task> fault)
    {
        var faults = 0;
        var size = (work.Count + slices - 1) / slices;
        foreach (var slice in work.Chunk(size))
        {
            var victim = chooser.Next(2);
            var faultAt = Completed + chooser.Next(1, slice.Length);
            using var gate = new SemaphoreSlim(8);
            var running = slice.Select(async w =>
            {
                await gate.WaitAsync(TestContext.Current.CancellationToken);
                try { await w(); } finally { gate.Release(); }
            }).ToList();
            var all = Task.WhenAll(running);
            await Support.Eventually.Until(() => Task.FromResult(Completed >= faultAt || all.IsCompleted), reached => reached, TimeSpan.FromMinutes(4), _ => "the load stalled");
            await fault(victim);
            faults++;
            await all; // the rest of the slice goes to the Host that lives
            await hosts.StartAsync(victim);
        }
        return faults;
    }
}
