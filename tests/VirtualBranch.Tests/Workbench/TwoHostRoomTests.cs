using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// The teller on one Host and the customer on another, over one database: the room's signalling goes between the Hosts
/// (PostgreSQL NOTIFY), so each learns the other is there and the offer and answer reach the other side.
/// </summary>
public sealed class TwoHostRoomTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static async Task<WebSocket> JoinAsync(WebApplicationFactory<Program> on, Guid caseId, string token) =>
        await on.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/api/cases/{caseId}/room?access_token={Uri.EscapeDataString(token)}"), Cancellation);

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket, string type)
    {
        var buffer = new byte[64 * 1024];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, limit.Token);
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, Cancellation);

    [Fact]
    public async Task teller_and_customer_on_two_hosts_learn_of_each_other_and_exchange_offer_and_answer()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        var second = host.StartAnotherHost();
        var tellerToken = driver.Teller.DefaultRequestHeaders.Authorization!.Parameter!;
        var customerToken = driver.Customer.DefaultRequestHeaders.Authorization!.Parameter!;

        using var customer = await JoinAsync(second, driver.CaseId, customerToken);
        using var teller = await JoinAsync(host.Factory, driver.CaseId, tellerToken);
        (await ReceiveAsync(teller, "peer-present")).GetProperty("role").GetString().ShouldBe("customer", "the customer is connected to the other Host");
        (await ReceiveAsync(customer, "peer-joined")).GetProperty("role").GetString().ShouldBe("teller");

        var sdp = "v=0 " + new string('a', 12_000); // larger than a NOTIFY payload may be
        await SendAsync(teller, new { type = "offer", sdp = new { type = "offer", sdp } });
        (await ReceiveAsync(customer, "offer")).GetProperty("sdp").GetProperty("sdp").GetString().ShouldBe(sdp);
        await SendAsync(customer, new { type = "answer", sdp = new { type = "answer", sdp = "v=0 answer" } });
        (await ReceiveAsync(teller, "answer")).GetProperty("sdp").GetProperty("sdp").GetString().ShouldBe("v=0 answer");

        await customer.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancellation);
        (await ReceiveAsync(teller, "peer-left")).GetProperty("role").GetString().ShouldBe("customer");
    }
}
