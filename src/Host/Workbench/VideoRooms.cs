using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using Npgsql;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// The video room of a case: the Host relays WebRTC signalling (offers, answers, ICE candidates) between the
/// case's teller and its customer over a WebSocket, and tells each when the other joins or leaves. A room admits
/// the teller <see cref="CaseAccess"/> lets act on the case (or a supervisor) and the customer whose link names the case.
/// The two may be connected to different Hosts: what the other is not connected here for goes through <see cref="RoomRelay"/>.
/// </summary>
public sealed class VideoRooms
{
    private readonly IMediaAdapter media;
    private readonly TimeProvider clock;
    private readonly ILogger<VideoRooms> log;
    private readonly RoomRelay relay;

    public VideoRooms(IMediaAdapter media, IConfiguration configuration, TimeProvider clock, RoomRelay relay, ILogger<VideoRooms> log)
    {
        this.media = media;
        this.clock = clock;
        this.log = log;
        this.relay = relay;
        _grace = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Media:DisruptionGraceSeconds", 15)));
        relay.Deliver = FromAnotherHostAsync;
    }

    /// <summary>Who reports that the customer left the room.</summary>
    public static readonly Engine.Runtime.Actor RoomActor = new("video-room", Roles.System);

    // A reload or a network blip closes the socket for a moment; only a customer who stays away is a disruption.
    private readonly TimeSpan _grace;

    private sealed class Room
    {
        public readonly ConcurrentDictionary<string, Peer> Peers = new(StringComparer.Ordinal);
    }

    /// <summary>A connected browser; a WebSocket takes one send at a time, and messages come from this Host and others.</summary>
    private sealed class Peer(WebSocket socket) : IDisposable
    {
        private readonly SemaphoreSlim _sending = new(1, 1);

        public WebSocket Socket => socket;

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
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // the peer is gone; its own loop notices and leaves the room
            }
            finally
            {
                _sending.Release();
            }
        }

        public void Dispose() => _sending.Dispose();
    }

    private readonly ConcurrentDictionary<Guid, Room> _rooms = new();

    /// <summary>Whether <paramref name="user"/> holds a role that sits in video rooms at all (which room is decided on joining).</summary>
    public static bool SeatsRole(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Teller) || user.IsInRole(Roles.Supervisor) || user.FindFirstValue(Auth.AuthSetup.RoleClaim) == Roles.Customer;

    public async Task<IResult> JoinAsync(Guid caseId, HttpContext http, CaseCommandService cases)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.ApiProblems.Invalid("The video room is a WebSocket.", [new("Upgrade", "Expected a WebSocket request.")]);
        }
        var role = CaseAccess.IsCustomerOf(http.User, caseId) ? Roles.Customer
            : http.User.IsInRole(Roles.Teller) || http.User.IsInRole(Roles.Supervisor) ? Roles.Teller : null;
        var state = await cases.CurrentAsync(caseId, null, http.RequestAborted);
        if (role is null || state is null || state.IsClosed)
        {
            return Problems.ApiProblems.Forbidden("Not your room", "This video room is for the case's teller and customer only.");
        }
        if (CaseAccess.Refusal(http.User, state) is { } refused)
        {
            return refused;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var me = new Peer(socket);
        var room = _rooms.GetOrAdd(caseId, _ => new Room());
        if (room.Peers.TryRemove(role, out var previous))
        {
            previous.Socket.Abort(); // the same person rejoining after a drop replaces the dead connection
        }
        room.Peers[role] = me;
        if (state.Fact(MediaFacts.VideoSession) is { } session && Guid.TryParse(session.GetString(), out var sessionId))
        {
            await media.ReportParticipantAsync(sessionId, role, joined: true, http.RequestAborted);
        }
        await Tell(caseId, room, role, $$"""{"type":"peer-joined","role":"{{role}}"}""", announce: true);
        if (room.Peers.ContainsKey(Other(role)))
        {
            await me.SendAsync(Present(Other(role)));
        }
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, http.RequestAborted);
                    message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
                while (!result.EndOfMessage && message.Length < 256 * 1024);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                await Tell(caseId, room, role, message.ToString());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            log.LogInformation("The {Role} of case {CaseId} dropped: {Reason}", role, caseId, ex.Message);
        }
        finally
        {
            var left = room.Peers.TryRemove(new KeyValuePair<string, Peer>(role, me)); // false when a rejoin replaced this socket
            await Tell(caseId, room, role, $$"""{"type":"peer-left","role":"{{role}}"}""", announce: true);
            if (left && role == Roles.Customer)
            {
                _ = ReportIfStillGoneAsync(caseId, room, cases);
            }
        }
        return Results.Empty;
    }

    /// <summary>The customer left and did not come back within the grace: the case's video step decides what that means.</summary>
    private async Task ReportIfStillGoneAsync(Guid caseId, Room room, CaseCommandService cases)
    {
        try
        {
            if (_grace > TimeSpan.Zero)
            {
                await Task.Delay(_grace, clock);
            }
            if (room.Peers.ContainsKey(Roles.Customer))
            {
                return;
            }
            var outcome = await cases.ExecuteAsync(caseId, new Engine.Runtime.ReportDisruption("customer-left",
                $"The customer's connection to the video room closed and did not come back within {_grace.TotalSeconds:0} s.", RoomActor, clock.GetUtcNow()),
                new RequestContext($"room:{caseId:N}", null), CancellationToken.None);
            if (outcome.Rejection is { } refused)
            {
                log.LogWarning("The disruption of case {CaseId} was not recorded: {Detail}", caseId, refused.Detail);
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "The disruption of case {CaseId} could not be recorded", caseId);
        }
    }

    private static string Other(string role) => role == Roles.Customer ? Roles.Teller : Roles.Customer;

    private static string Present(string role) => $$"""{"type":"peer-present","role":"{{role}}"}""";

    /// <summary>
    /// To the other person in the room: here when they are connected here, else through the relay to the Host they are on.
    /// Arrivals and departures are announced to every Host, since this one cannot know where the other will connect.
    /// </summary>
    private async Task Tell(Guid caseId, Room room, string from, string message, bool announce = false)
    {
        if (room.Peers.TryGetValue(Other(from), out var peer))
        {
            await peer.SendAsync(message);
            if (!announce)
            {
                return;
            }
        }
        try
        {
            await relay.PublishAsync(caseId, from, Other(from), message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            log.LogWarning(ex, "Signalling for case {CaseId} could not reach the other Hosts", caseId);
        }
    }

    /// <summary>A message from a peer on another Host; a newcomer there also learns who is connected here.</summary>
    private async Task FromAnotherHostAsync(RoomSignal signal)
    {
        if (!_rooms.TryGetValue(signal.CaseId, out var room) || !room.Peers.TryGetValue(signal.To, out var peer))
        {
            return;
        }
        await peer.SendAsync(signal.Body);
        if (signal.Body.Contains("\"type\":\"peer-joined\"", StringComparison.Ordinal))
        {
            await relay.PublishAsync(signal.CaseId, signal.To, signal.From, Present(signal.To), CancellationToken.None);
        }
    }
}
