using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using VirtualBranch.Engine.Activities;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Media;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Workbench;

/// <summary>
/// The video room of a case: the Host relays WebRTC signalling (offers, answers, ICE candidates) between the
/// case's teller and its customer over a WebSocket, and tells each when the other joins or leaves. A room admits
/// the teller <see cref="CaseAccess"/> lets act on the case (or a supervisor) and the customer whose link names the case.
/// </summary>
public sealed class VideoRooms(IMediaAdapter media, ILogger<VideoRooms> log)
{
    private sealed class Room
    {
        public readonly ConcurrentDictionary<string, WebSocket> Peers = new(StringComparer.Ordinal);
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
        var room = _rooms.GetOrAdd(caseId, _ => new Room());
        if (room.Peers.TryRemove(role, out var previous))
        {
            previous.Abort(); // the same person rejoining after a drop replaces the dead connection
        }
        room.Peers[role] = socket;
        if (state.Fact(MediaFacts.VideoSession) is { } session && Guid.TryParse(session.GetString(), out var sessionId))
        {
            await media.ReportParticipantAsync(sessionId, role, joined: true, http.RequestAborted);
        }
        await Tell(room, role, $$"""{"type":"peer-joined","role":"{{role}}"}""");
        if (room.Peers.ContainsKey(Other(role)))
        {
            await Send(socket, $$"""{"type":"peer-present","role":"{{Other(role)}}"}""");
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
                await Tell(room, role, message.ToString());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            log.LogInformation("The {Role} of case {CaseId} dropped: {Reason}", role, caseId, ex.Message);
        }
        finally
        {
            room.Peers.TryRemove(new KeyValuePair<string, WebSocket>(role, socket));
            await Tell(room, role, $$"""{"type":"peer-left","role":"{{role}}"}""");
        }
        return Results.Empty;
    }

    private static string Other(string role) => role == Roles.Customer ? Roles.Teller : Roles.Customer;

    private static async Task Tell(Room room, string from, string message)
    {
        if (room.Peers.TryGetValue(Other(from), out var peer) && peer.State == WebSocketState.Open)
        {
            await Send(peer, message);
        }
    }

    private static Task Send(WebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
}
