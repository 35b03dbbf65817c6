using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// SIGTERM while a command is in flight: the Host stops taking connections but finishes the request it has (here one
/// whose body is still arriving), answers it, and exits cleanly; the case it opened is there.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class GracefulStopTests(TwoHostProcesses hosts) : IClassFixture<TwoHostProcesses>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task a_host_stopped_with_sigterm_finishes_the_request_in_flight_before_it_exits()
    {
        var token = await hosts.TokenFor("teller");
        using var client = new HttpClient { BaseAddress = hosts.Address(0), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = new HalfThenRest(JsonSerializer.SerializeToUtf8Bytes(new { definitionId = ChaosFlow.Id, data = new { } }));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var sending = client.PostAsync("/api/cases", body, Cancellation);
        await body.HalfSent.Task.WaitAsync(TimeSpan.FromMinutes(1), Cancellation);

        var stopping = hosts.StopAsync(0);
        // Stopping, the Host takes no new connection; the one in flight stays open.
        await Eventually.Until(() => RefusesAsync(hosts.Address(0)), refused => refused, TimeSpan.FromMinutes(1), _ => "the stopping Host still accepts connections");
        stopping.IsCompleted.ShouldBeFalse("the Host waits for the request it took");

        body.SendTheRest.SetResult();
        using var response = await sending;
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancellation));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("id").GetGuid();
        (await stopping).ShouldBe(0, "a Host stopped with SIGTERM exits cleanly");

        (await hosts.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{id}' and type = 'case_opened'"))
            .ShouldBe(1L, "the answered command was committed");
        await hosts.StartAsync(0);
    }

    private static async Task<bool> RefusesAsync(Uri address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, Cancellation);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    /// <summary>A request body that sends its first half, then waits to be told to send the rest.</summary>
    private sealed class HalfThenRest(byte[] bytes) : HttpContent
    {
        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SendTheRest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = bytes.Length / 2;
            await stream.WriteAsync(bytes.AsMemory(0, half));
            await stream.FlushAsync();
            HalfSent.SetResult();
            await SendTheRest.Task;
            await stream.WriteAsync(bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
