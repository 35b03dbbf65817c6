using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Host.Workbench;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.RoomSockets;

namespace VirtualBranch.Tests.Workbench;

/// <summary>
/// The teller on one Host and the customer on another, over one database: the room's signalling goes between the Hosts
/// (PostgreSQL NOTIFY), so each learns the other is there and the offer and answer reach the other side.
/// </summary>
public sealed class TwoHostRoomTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task teller_and_customer_on_two_hosts_learn_of_each_other_and_exchange_offer_and_answer()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" });
        var second = host.StartAnotherHost();
        var tellerToken = driver.Teller.DefaultRequestHeaders.Authorization!.Parameter!;
        var customerToken = driver.Customer.DefaultRequestHeaders.Authorization!.Parameter!;

        using var customer = await JoinAsync(second, driver.CaseId, customerToken);
        second.Services.GetRequiredService<RoomRelay>().IsListening.ShouldBeTrue("a Host takes requests once it hears the other Hosts, or a peer joining meanwhile is missed");
        await customer.ReceiveAsync("welcome");
        using var teller = await JoinAsync(host.Factory, driver.CaseId, tellerToken);
        // Each hears of the other once: as there already, or as just joined, by which Host's announcement the other heard
        // first (the customer's Host announces them once their arrival is recorded in the case, which may be after the
        // teller's). The page treats both alike.
        var present = await Explained(() => teller.ReceiveAnyAsync(Arrived, m => m.GetProperty("role").GetString() == "customer"));
        present.GetProperty("id").GetString().ShouldBe("customer", "the customer is connected to the other Host");
        await Explained(() => customer.ReceiveAnyAsync(Arrived, m => m.GetProperty("role").GetString() == "teller"));
        // Joining at the same moment, the customer's own announcement can reach the teller's Host after the answer to it:
        // a connection heard of twice is not passed on (the teller's page would offer again and renegotiate the call).
        var late = new { type = "peer-joined", id = present.GetProperty("id").GetString(), role = "customer", conn = present.GetProperty("conn").GetString() };
        await second.Services.GetRequiredService<RoomRelay>().PublishAsync(
            driver.CaseId, late.id!, "*", System.Text.Json.JsonSerializer.Serialize(late), Cancellation);
        // Nor is the other Host's answer to the teller's own announcement, when the teller heard of that connection first.
        var again = late with { type = "peer-present" };
        await second.Services.GetRequiredService<RoomRelay>().PublishAsync(
            driver.CaseId, again.id!, "teller", System.Text.Json.JsonSerializer.Serialize(again), Cancellation);

        var sdp = "v=0 " + new string('a', 12_000); // larger than a NOTIFY payload may be
        await teller.SendAsync(new { type = "offer", sdp = new { type = "offer", sdp } });
        (await customer.ReceiveAsync("offer")).GetProperty("sdp").GetProperty("sdp").GetString().ShouldBe(sdp);
        // What is not signalling is dropped by the room: not JSON, no type, a type it does not relay.
        await customer.SendAsync(System.Text.Encoding.UTF8.GetBytes("not json {"), WebSocketMessageType.Text, true, Cancellation);
        await customer.SendAsync(new { to = "teller" });
        await customer.SendAsync(new { type = "peer-left", id = "teller", to = "teller" });
        await customer.SendAsync(new { type = "answer", sdp = new { type = "answer", sdp = "v=0 answer" } });
        var skipped = new List<System.Text.Json.JsonElement>();
        (await teller.ReceiveAsync("answer", skipped: skipped)).GetProperty("sdp").GetProperty("sdp").GetString().ShouldBe("v=0 answer", "the room still relays after dropping the rest");
        skipped.ShouldBeEmpty("nothing but the answer reached the teller");

        await customer.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancellation);
        (await teller.ReceiveAsync("peer-left")).GetProperty("role").GetString().ShouldBe("customer");

        // A wait that runs out says what each Host had heard and what went between them, so a failure can be read.
        async Task<T> Explained<T>(Func<Task<T>> wait)
        {
            try
            {
                return await wait();
            }
            catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
            {
                var signals = await host.Database.ScalarAsync<string>(
                    "select string_agg(id || ' ' || (signal->>'from') || '->' || (signal->>'to') || ' ' || left(signal->>'body', 80), E'\n' order by id) from vb.vb_room_signals");
                throw new Shouldly.ShouldAssertException(
                    $"No message within 30 s. Listening: this Host {host.Services.GetRequiredService<RoomRelay>().IsListening}, the other " +
                    $"{second.Services.GetRequiredService<RoomRelay>().IsListening}. Signals between them:\n{signals}");
            }
        }
    }
}
