using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Shouldly;
using VirtualBranch.Tests.Banking;
using VirtualBranch.Tests.Support;
using static VirtualBranch.Tests.Support.RoomSockets;

namespace VirtualBranch.Tests.Customers;

/// <summary>
/// A third person in the call: the teller invites a relative (or an interpreter), whose own phone gets a single-use link;
/// opening it takes them into the video room and nowhere else in the case. Their invitation, its opening and their
/// joining and leaving the room are events; they may be connected to another Host than the teller. The Host here has no
/// grace after someone leaves, so a departure is recorded at once.
/// </summary>
public sealed class ParticipantTests(NoGraceHostFixture host) : IClassFixture<NoGraceHostFixture>
{
    private const string RelativeMobile = "13900139000";
    private static readonly object Reset = new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000" };
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private CustomerPhone Phone => new(host);

    private async Task<List<JsonElement>> EventsAsync(Guid caseId) =>
        [.. (await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/events")).EnumerateArray()];

    private static IEnumerable<JsonElement> OfType(IEnumerable<JsonElement> events, string type) => events.Where(e => e.GetProperty("type").GetString() == type);

    private async Task<JsonElement> InviteAsync(HttpClient teller, Guid caseId, string role = "relative", string name = "李四")
    {
        var response = await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants", new { role, name, mobile = RelativeMobile });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    [Fact]
    public async Task an_invited_relative_gets_a_link_on_their_own_phone_that_opens_the_video_room_and_nothing_else()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var invited = await InviteAsync(teller, caseId);
        invited.GetProperty("sentTo").GetString().ShouldBe("139****9000");
        invited.GetProperty("seat").GetString().ShouldBe($"participant:{invited.GetProperty("linkId").GetString()}");
        var link = Phone.Latest(caseId, "link", RelativeMobile);
        Phone.Messages.ShouldNotContain(m => m.CaseId == caseId && m.To == "13800138000", "the customer's phone gets nothing");
        invited.ToString().ShouldNotContain(CustomerPhone.CodeIn(link.Url!), Case.Sensitive, "the teller never sees the code");

        var (relative, session) = await Phone.OpenSessionAsync(caseId, CustomerPhone.CodeIn(link.Url!));
        (session.GetProperty("as").GetString(), session.GetProperty("name").GetString()).ShouldBe(("relative", "李四"));
        (await relative.GetAsync("/api/media/config", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK, "the relative may set up their call");
        (await relative.GetAsync($"/api/cases/{caseId}/customer", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "they see nothing of the customer's case");
        (await relative.GetAsync($"/api/cases/{caseId}/workbench", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await relative.GetAsync($"/api/cases/{caseId}", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await relative.PostAsync($"/api/cases/{caseId}/customer-link", null, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var waiting = (await teller.GetCase(caseId)).GetProperty("waiting")[0].GetProperty("bookmarkId").GetString()!;
        (await relative.Resume(caseId, waiting, new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "they answer no step, the customer's least of all");

        var again = await host.CreateClient().PostAsJsonAsync("/api/customer/code", new { caseId, code = CustomerPhone.CodeIn(link.Url!) }, Cancellation);
        (await again.Problem(HttpStatusCode.Conflict)).GetProperty("title").GetString().ShouldBe("Link already used");
        var events = await EventsAsync(caseId);
        var record = OfType(events, "participant_invited").Single().GetProperty("data");
        (record.GetProperty("Role").GetString(), record.GetProperty("Name").GetString(), record.GetProperty("To").GetString(), record.GetProperty("InvitedBy").GetString())
            .ShouldBe(("relative", "李四", "139****9000", "teller"));
        OfType(events, "customer_link_delivered").Single().GetProperty("data").GetProperty("Reference").GetString().ShouldBe(link.Reference);
        OfType(events, "participant_link_redeemed").Count().ShouldBe(1);
        string.Join('\n', events.Select(e => e.ToString())).ShouldNotContain(RelativeMobile, customMessage: "the full mobile is in no event");
    }

    [Fact]
    public async Task an_invitation_missing_who_or_where_is_refused_field_by_field_and_nothing_is_recorded_or_sent()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var before = (await EventsAsync(caseId)).Count;
        var sent = Phone.Messages.Count;

        var response = await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants", new { role = "friend", name = "", mobile = "12345" }, Cancellation);
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ShouldBe(["/role", "/name", "/mobile"]);
        (await teller.PostAsync($"/api/cases/{caseId}/participants", JsonContent.Create((object?)null), Cancellation)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var tooLong = await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants", new { role = "interpreter", name = new string('名', 65), mobile = RelativeMobile }, Cancellation);
        (await tooLong.Problem(HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/name");
        var customer = await ScenarioDriver.CustomerAsync(host, teller, caseId);
        before = (await EventsAsync(caseId)).Count;
        sent = Phone.Messages.Count;
        (await customer.PostAsJsonAsync($"/api/cases/{caseId}/participants", new { role = "relative", name = "李四", mobile = RelativeMobile }, Cancellation))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the customer cannot bring people into the case");

        (await EventsAsync(caseId)).Count.ShouldBe(before);
        Phone.Messages.Count.ShouldBe(sent);
    }

    [Fact]
    public async Task withdrawing_an_invitation_ends_the_participants_session_and_says_why()
    {
        var teller = await host.ClientFor("teller");
        var caseId = (await teller.OpenCase("password-reset", Reset)).Id();
        var invited = await InviteAsync(teller, caseId, "interpreter", "Maria");
        var (interpreter, _) = await Phone.OpenSessionAsync(caseId, CustomerPhone.CodeIn(Phone.Latest(caseId, "link", RelativeMobile).Url!));
        var linkId = invited.GetProperty("linkId").GetString();

        var noReason = await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants/{linkId}/remove", new { reason = " " }, Cancellation);
        (await noReason.Problem(HttpStatusCode.BadRequest)).GetProperty("errors")[0].GetProperty("path").GetString().ShouldBe("/reason");
        (await interpreter.GetAsync("/api/media/config", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.OK, "a refused removal removes nobody");
        (await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants/no-such-link/remove", new { reason = "x" }, Cancellation)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await teller.PostAsJsonAsync($"/api/cases/{caseId}/participants/{linkId}/remove", new { reason = "The customer does not want an interpreter." }, Cancellation))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await interpreter.GetAsync("/api/media/config", Cancellation)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "their session ended with the invitation");
        OfType(await EventsAsync(caseId), "participant_removed").Single().GetProperty("data").GetProperty("Reason").GetString().ShouldBe("The customer does not want an interpreter.");
    }

    [Fact]
    public async Task a_relative_on_another_host_joins_the_call_speaks_to_each_person_by_seat_and_their_coming_and_going_are_recorded()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        var seat = (await InviteAsync(driver.Teller, driver.CaseId)).GetProperty("seat").GetString()!;
        var (relativeClient, _) = await Phone.OpenSessionAsync(driver.CaseId, CustomerPhone.CodeIn(Phone.Latest(driver.CaseId, "link", RelativeMobile).Url!));
        var second = host.StartAnotherHost();

        using var teller = await JoinAsync(host.Factory, driver.CaseId, driver.Teller.Token());
        using var customer = await JoinAsync(host.Factory, driver.CaseId, driver.Customer.Token());
        using var relative = await JoinAsync(second, driver.CaseId, relativeClient.Token());
        var welcome = await relative.ReceiveAsync("welcome");
        (welcome.GetProperty("id").GetString(), welcome.GetProperty("role").GetString(), welcome.GetProperty("name").GetString()).ShouldBe((seat, "relative", "李四"));
        // Each hears of each other seat once, as there already or as just joined (which, depends on which Host's word came first).
        var present = new[] { await relative.ReceiveAnyAsync(Arrived), await relative.ReceiveAnyAsync(Arrived) };
        present.Select(p => p.GetProperty("id").GetString()).ShouldBe(["teller", "customer"], ignoreOrder: true, "both are connected to the other Host");
        (await teller.ReceiveAnyAsync(Arrived, m => m.GetProperty("id").GetString() == seat)).GetProperty("name").GetString().ShouldBe("李四");

        await teller.SendAsync(new { type = "offer", to = seat, sdp = new { type = "offer", sdp = "v=0 teller" } });
        (await relative.ReceiveAsync("offer")).GetProperty("from").GetString().ShouldBe("teller");
        await customer.SendAsync(new { type = "offer", to = seat, sdp = new { type = "offer", sdp = "v=0 customer" } });
        (await relative.ReceiveAsync("offer")).GetProperty("from").GetString().ShouldBe("customer");
        await relative.SendAsync(new { type = "answer", to = "customer", from = "teller", sdp = new { type = "answer", sdp = "v=0 relative" } });
        (await customer.ReceiveAsync("answer")).GetProperty("from").GetString().ShouldBe(seat, "the room stamps who spoke; a page cannot pass for another");

        var joined = await Eventually.Until(() => EventsAsync(driver.CaseId), e => OfType(e, "participant_joined").Any(), TimeSpan.FromSeconds(30), _ => "the relative's joining was not recorded");
        var data = OfType(joined, "participant_joined").Single().GetProperty("data");
        (data.GetProperty("Seat").GetString(), data.GetProperty("Role").GetString(), data.GetProperty("Name").GetString()).ShouldBe((seat, "relative", "李四"));

        await relative.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancellation);
        (await teller.ReceiveAsync("peer-left", m => m.GetProperty("id").GetString() == seat)).GetProperty("role").GetString().ShouldBe("relative");
        var left = await Eventually.Until(() => EventsAsync(driver.CaseId), e => OfType(e, "participant_left").Any(), TimeSpan.FromSeconds(30), _ => "the relative's leaving was not recorded");
        OfType(left, "participant_joined").Count().ShouldBe(1);
        var timeline = await (await host.ClientFor("supervisor")).GetFromJsonAsync<JsonElement>($"/api/cases/{driver.CaseId}/timeline", Cancellation);
        var marks = timeline.GetProperty("marks").EnumerateArray().Select(m => m.GetProperty("what").GetString()!).ToList();
        marks.ShouldContain("relative 李四 joined the video room");
        marks.ShouldContain("relative 李四 left the video room");
        marks.ShouldContain(m => m.StartsWith("relative 李四 invited into the video session; link sent to 139****9000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_supervisor_listening_in_takes_a_seat_of_their_own_and_is_recorded_while_the_teller_keeps_theirs()
    {
        var driver = await ScenarioDriver.OpenAsync(host, "password-reset", Reset);
        var supervisor = await host.ClientFor("supervisor");
        using var teller = await JoinAsync(host.Factory, driver.CaseId, driver.Teller.Token());
        using var observer = await JoinAsync(host.Factory, driver.CaseId, supervisor.Token(), "seat=observer");
        (await observer.ReceiveAsync("welcome")).GetProperty("id").GetString().ShouldBe("observer:supervisor");
        (await observer.ReceiveAnyAsync(Arrived)).GetProperty("id").GetString().ShouldBe("teller", "the teller's seat is not taken over");
        var joined = await Eventually.Until(() => EventsAsync(driver.CaseId), e => OfType(e, "participant_joined").Any(), TimeSpan.FromSeconds(30), _ => "the supervisor's joining was not recorded");
        OfType(joined, "participant_joined").Single().GetProperty("data").GetProperty("Role").GetString().ShouldBe("supervisor");
    }
}
