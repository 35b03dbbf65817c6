using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// The video room of a case: the Host relays WebRTC signalling (offers, answers, ICE candidates) between the people in it
/// over WebSockets, and tells each who joins and leaves. Everyone has a seat: the teller (whom <see cref="CaseAccess"/> lets
/// act on the case, or a supervisor), the customer (whose link names the case), each invited participant (a relative, an
/// interpreter: <c>participant:{link}</c>) and supervisors listening in (<c>observer:{user}</c>). Pages connect to each other
/// in a mesh; a message names the seat it is for and the room stamps the seat it came from. People may be connected to
/// different Hosts: what is for a seat not connected here goes through <see cref="RoomRelay"/>. Participants' and
/// observers' joining and leaving are events in the case.
/// </summary>
public sealed class VideoRooms
{
    private readonly IMediaAdapter media;
    private readonly TimeProvider clock;
    private readonly ILogger<VideoRooms> log;
    private readonly RoomRelay relay;

    private readonly CancellationToken stopping;

    public VideoRooms(IMediaAdapter media, IConfiguration configuration, TimeProvider clock, RoomRelay relay, IHostApplicationLifetime lifetime, ILogger<VideoRooms> log)
    {
        this.media = media;
        this.clock = clock;
        this.log = log;
        this.relay = relay;
        stopping = lifetime.ApplicationStopping;
        _grace = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Media:DisruptionGraceSeconds", 15)));
        relay.Deliver = FromAnotherHostAsync;
    }

    /// <summary>Who reports that the customer left the room, and who came and went.</summary>
    public static readonly Actor RoomActor = new("video-room", Roles.System);

    /// <summary>Sent to every seat ("*") through the relay.</summary>
    private const string Everyone = "*";

    // A reload or a network blip closes the socket for a moment; only someone who stays away has left.
    private readonly TimeSpan _grace;

    /// <summary>Someone's place in the room: <c>Id</c> is what messages are addressed to.</summary>
    public sealed record Seat(string Id, string Role, string Name)
    {
        /// <summary>Whether their coming and going are events of the case (everyone but the teller and the customer).</summary>
        public bool Recorded => Id is not (Roles.Teller or Roles.Customer);
    }

    private sealed class Room
    {
        /// <summary>The seats connected to this Host.</summary>
        public readonly ConcurrentDictionary<string, Peer> Peers = new(StringComparer.Ordinal);

        /// <summary>The seats connected to other Hosts, with their connection's id.</summary>
        public readonly ConcurrentDictionary<string, string> Elsewhere = new(StringComparer.Ordinal);

        public bool Holds(string seat) => Peers.ContainsKey(seat) || Elsewhere.ContainsKey(seat);
    }

    /// <summary>A connected browser; a WebSocket takes one send at a time, and messages come from this Host and others.</summary>
    private sealed class Peer(WebSocket socket, Seat seat) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);

        public WebSocket Socket => socket;

        public Seat Seat => seat;

        /// <summary>This connection, so a late "left" of an earlier connection of the same seat is told apart.</summary>
        public string Connection { get; } = Guid.NewGuid().ToString("N")[..12];

        public async Task SendAsync(string message)
        {
            try
            {
                await _sending.WaitAsync();
            }
            catch (ObjectDisposedException)
            {
                return; // the peer has left
            }
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                // the peer is gone (closed, reset, or its network cut); its own loop notices and leaves the room
            }
            finally
            {
                _sending.Release();
            }
        }

        /// <summary>
        /// Tells this page someone is in the room (joined, or there before it), once per connection of theirs: when two
        /// Hosts learn of each other's seats at the same moment, each can hear of a connection twice (its announcement,
        /// and the answer to its own), and a page told twice would offer again and renegotiate a call that is up.
        /// </summary>
        public Task TellArrivalAsync(string message, string? connection) =>
            connection is not null && !_heardOf.TryAdd(connection, 0) ? Task.CompletedTask : SendAsync(message);

        private readonly ConcurrentDictionary<string, byte> _heardOf = new(StringComparer.Ordinal);

        public string Describe(string type) => new JsonObject
        {
            ["type"] = type, ["id"] = seat.Id, ["role"] = seat.Role, ["name"] = seat.Name, ["conn"] = Connection,
        }.ToJsonString();

        public void Dispose() => _sending.Dispose();
    }

    private readonly ConcurrentDictionary<Guid, Room> _rooms = new();

    /// <summary>Whether <paramref name="user"/> holds a role that sits in video rooms at all (which room is decided on joining).</summary>
    public static bool SeatsRole(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Teller) || user.IsInRole(Roles.Supervisor)
        || user.FindFirstValue(Auth.AuthSetup.RoleClaim) is Roles.Customer or Roles.Participant;

    /// <summary>The seat the caller takes in the case's room, or why they have none.</summary>
    private static (Seat? Seat, IResult? Refused) SeatOf(HttpContext http, CaseState state)
    {
        var user = http.User;
        if (CaseAccess.IsCustomerOf(user, state.Id))
        {
            return (new Seat(Roles.Customer, Roles.Customer, CustomerName(state)), null);
        }
        if (CaseAccess.ParticipantLinkIn(user, state.Id) is { } link)
        {
            return state.Participants.GetValueOrDefault(link) is { Admitted: true } invited
                ? (new Seat(ParticipantEvents.Seat(link), invited.Role, invited.Name), null)
                : (null, Problems.ApiProblems.Forbidden("Invitation withdrawn", "The teller withdrew this invitation."));
        }
        if (!user.IsInRole(Roles.Teller) && !user.IsInRole(Roles.Supervisor))
        {
            return (null, Problems.ApiProblems.Forbidden("Not your room", "This video room is for the case's teller, its customer and the people they invited."));
        }
        if (CaseAccess.Refusal(user, state) is { } refused)
        {
            return (null, refused);
        }
        var actor = RequestActor.Of(user);
        return http.Request.Query["seat"] == "observer" && user.IsInRole(Roles.Supervisor)
            ? (new Seat($"observer:{actor.Id}", Roles.Supervisor, actor.Id), null)
            : (new Seat(Roles.Teller, Roles.Teller, actor.Id), null);
    }

    private static string CustomerName(CaseState state) =>
        state.Data.ValueKind == JsonValueKind.Object && state.Data.TryGetProperty("customerName", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : Roles.Customer;

    public async Task<IResult> JoinAsync(Guid caseId, HttpContext http, CaseCommandService cases)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.ApiProblems.Invalid("The video room is a WebSocket.", [new("Upgrade", "Expected a WebSocket request.")]);
        }
        var state = await cases.CurrentAsync(caseId, null, http.RequestAborted);
        if (state is null || state.IsClosed)
        {
            return Problems.ApiProblems.Forbidden("Not your room", "This case is closed or does not exist; its video room is shut.");
        }
        var (seat, refused) = SeatOf(http, state);
        if (seat is null)
        {
            return refused!;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var me = new Peer(socket, seat);
        var room = _rooms.GetOrAdd(caseId, _ => new Room());
        if (room.Peers.TryRemove(seat.Id, out var previous))
        {
            previous.Socket.Abort(); // the same person rejoining after a drop replaces the dead connection
        }
        room.Peers[seat.Id] = me;
        room.Elsewhere.TryRemove(seat.Id, out _);
        var buffer = new byte[64 * 1024];
        // A Host that stops (a deploy, a restart) lets go of its rooms at once: the pages connect again, here or to another Host.
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            // From here on the person is in the room: a connection that closes at any point (even before the welcome
            // reaches it, as a phone losing its network does) is a departure the case hears about.
            await me.SendAsync(me.Describe("welcome"));
            if (seat.Recorded && !state.InRoom.Contains(seat.Id)) // a rejoin within the grace is no new arrival
            {
                await RecordPresenceAsync(caseId, seat, joined: true, cases);
            }
            if (state.Fact(MediaFacts.VideoSession) is { } session && Guid.TryParse(session.GetString(), out var sessionId))
            {
                await media.ReportParticipantAsync(sessionId, seat.Role, joined: true, http.RequestAborted);
            }
            foreach (var other in room.Peers.Values.Where(p => p != me))
            {
                await me.TellArrivalAsync(other.Describe("peer-present"), other.Connection);
            }
            await AnnounceAsync(caseId, room, me, me.Describe("peer-joined"), arrival: true);
            while (socket.State == WebSocketState.Open)
            {
                var message = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, listening.Token);
                    message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
                while (!result.EndOfMessage && message.Length < 256 * 1024);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (Addressed(message.ToString(), seat) is { } signal)
                {
                    await TellAsync(caseId, room, seat.Id, signal.To, signal.Body);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            log.LogInformation("{Seat} of case {CaseId} dropped: {Reason}", seat.Id, caseId, ex.Message);
        }
        finally
        {
            var left = room.Peers.TryRemove(new KeyValuePair<string, Peer>(seat.Id, me)); // false when a rejoin replaced this socket
            if (stopping.IsCancellationRequested)
            {
                await CloseAsync(socket, "The Host is restarting; connect again.");
            }
            await AnnounceAsync(caseId, room, me, me.Describe("peer-left"), arrival: false);
            if (left && !stopping.IsCancellationRequested && (seat.Id == Roles.Customer || seat.Recorded))
            {
                _ = ActIfStillGoneAsync(caseId, room, seat, cases);
            }
        }
        return Results.Empty;
    }

    /// <summary>Says goodbye to a page (1001, going away) without waiting long for it to answer.</summary>
    private static async Task CloseAsync(WebSocket socket, string why)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, why, limit.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            socket.Abort();
        }
    }

    /// <summary>
    /// A signalling message from a page, addressed to a seat (<c>to</c>; a page that names none speaks to the teller, and the
    /// teller to the customer) and stamped with the seat it came from. Anything else is dropped.
    /// </summary>
    private (string To, string Body)? Addressed(string text, Seat from)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject message || message["type"]?.GetValue<string>() is not ("offer" or "answer" or "candidate"))
            {
                return null;
            }
            var to = message["to"] is JsonValue target && target.TryGetValue<string>(out var named) ? named
                : from.Id == Roles.Teller ? Roles.Customer : Roles.Teller;
            message["from"] = from.Id;
            return to == from.Id ? null : (to, message.ToJsonString());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            log.LogDebug("A signalling message from {Seat} was not JSON with a type: {Reason}", from.Id, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The person did not come back within the grace: for the customer the case's video step decides what that means
    /// (a disruption); anyone else has left, which the case records.
    /// </summary>
    private async Task ActIfStillGoneAsync(Guid caseId, Room room, Seat seat, CaseCommandService cases)
    {
        try
        {
            if (_grace > TimeSpan.Zero)
            {
                await Task.Delay(_grace, clock);
            }
            if (room.Holds(seat.Id))
            {
                return;
            }
            if (seat.Recorded)
            {
                await RecordPresenceAsync(caseId, seat, joined: false, cases);
                return;
            }
            var outcome = await cases.ExecuteAsync(caseId, new ReportDisruption("customer-left",
                $"The customer's connection to the video room closed and did not come back within {_grace.TotalSeconds:0} s.", RoomActor, clock.GetUtcNow()),
                new RequestContext($"room:{caseId:N}", null), CancellationToken.None);
            if (outcome.Rejection is { } refused)
            {
                log.LogWarning("The disruption of case {CaseId} was not recorded: {Detail}", caseId, refused.Detail);
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "What {Seat} leaving case {CaseId} means could not be recorded", seat.Id, caseId);
        }
    }

    private async Task RecordPresenceAsync(Guid caseId, Seat seat, bool joined, CaseCommandService cases)
    {
        var outcome = await cases.ExecuteAsync(caseId, new RecordPresence(seat.Id, seat.Role, seat.Name, joined, RoomActor, clock.GetUtcNow()),
            new RequestContext($"room:{caseId:N}", null), CancellationToken.None);
        if (outcome.Rejection is { } refused)
        {
            log.LogWarning("{Seat} {Change} case {CaseId}'s room, not recorded: {Detail}", seat.Id, joined ? "joining" : "leaving", caseId, refused.Detail);
        }
    }

    /// <summary>To one seat: here when it is connected here, else through the relay to the Host it is on.</summary>
    private async Task TellAsync(Guid caseId, Room room, string from, string to, string message)
    {
        if (room.Peers.TryGetValue(to, out var peer))
        {
            await peer.SendAsync(message);
            return;
        }
        await RelayAsync(caseId, from, to, message);
    }

    /// <summary>Arrivals and departures go to everyone here and to every Host, since this one cannot know where others connect.</summary>
    private async Task AnnounceAsync(Guid caseId, Room room, Peer from, string message, bool arrival)
    {
        foreach (var peer in room.Peers.Values.Where(p => p != from && p.Seat.Id != from.Seat.Id))
        {
            await (arrival ? peer.TellArrivalAsync(message, from.Connection) : peer.SendAsync(message));
        }
        await RelayAsync(caseId, from.Seat.Id, Everyone, message);
    }

    private async Task RelayAsync(Guid caseId, string from, string to, string message)
    {
        try
        {
            await relay.PublishAsync(caseId, from, to, message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ObjectDisposedException)
        {
            log.LogWarning(ex, "Signalling for case {CaseId} could not reach the other Hosts", caseId);
        }
    }

    /// <summary>A message from a seat on another Host; a newcomer there also learns who is connected here.</summary>
    private async Task FromAnotherHostAsync(RoomSignal signal)
    {
        if (!_rooms.TryGetValue(signal.CaseId, out var room))
        {
            return;
        }
        var (type, connection) = Kind(signal.Body);
        if (type == "peer-left")
        {
            if (room.Elsewhere.TryGetValue(signal.From, out var known) && known == connection)
            {
                room.Elsewhere.TryRemove(signal.From, out _);
            }
        }
        else if (type is "peer-joined" or "peer-present" && connection is not null)
        {
            // Two Hosts that take their seats at the same moment each learn of the other twice: the newcomer's own
            // announcement, and the answer to theirs. A second announcement of a connection already known here tells
            // nobody anything, and a page that heard it would offer again and renegotiate a call that is up.
            var already = room.Elsewhere.TryGetValue(signal.From, out var heard) && heard == connection;
            room.Elsewhere[signal.From] = connection;
            if (already && type == "peer-joined" && signal.To == Everyone)
            {
                return;
            }
        }
        var arrival = type is "peer-joined" or "peer-present";
        if (signal.To != Everyone)
        {
            if (room.Peers.TryGetValue(signal.To, out var peer))
            {
                await (arrival ? peer.TellArrivalAsync(signal.Body, connection) : peer.SendAsync(signal.Body));
            }
            return;
        }
        foreach (var peer in room.Peers.Values.Where(p => p.Seat.Id != signal.From))
        {
            await (arrival ? peer.TellArrivalAsync(signal.Body, connection) : peer.SendAsync(signal.Body));
            if (type == "peer-joined")
            {
                await relay.PublishAsync(signal.CaseId, peer.Seat.Id, signal.From, peer.Describe("peer-present"), CancellationToken.None);
            }
        }
    }

    private static (string? Type, string? Connection) Kind(string body)
    {
        try
        {
            var message = JsonNode.Parse(body);
            return (message?["type"]?.GetValue<string>(), message?["conn"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}
