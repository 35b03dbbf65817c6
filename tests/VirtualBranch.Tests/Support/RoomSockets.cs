using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VirtualBranch.Tests.Support;

/// <summary>A page's WebSocket to a case's video room, spoken by hand: join, read the next message of a kind, send.</summary>
public static class RoomSockets
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<WebSocket> JoinAsync(WebApplicationFactory<Program> on, Guid caseId, string token, string query = "") =>
        await on.Server.CreateWebSocketClient().ConnectAsync(
            new Uri($"ws://localhost/api/cases/{caseId}/room?{query}{(query.Length > 0 ? "&" : "")}access_token={Uri.EscapeDataString(token)}"), Cancellation);

    /// <summary>The next message of <paramref name="type"/> (that <paramref name="matches"/>), skipping others (kept in <paramref name="skipped"/>); at most 30 s.</summary>
    /// <summary>What tells a page someone is in the room: there before it, or just joined. A page hears of each connection once, as one or the other.</summary>
    public static readonly IReadOnlyCollection<string> Arrived = ["peer-present", "peer-joined"];

    public static Task<JsonElement> ReceiveAsync(this WebSocket socket, string type, Func<JsonElement, bool>? matches = null, List<JsonElement>? skipped = null) =>
        socket.ReceiveAnyAsync([type], matches, skipped);

    /// <summary>The next message of one of <paramref name="types"/> (that <paramref name="matches"/>), skipping others (kept in <paramref name="skipped"/>); at most 30 s.</summary>
    public static async Task<JsonElement> ReceiveAnyAsync(this WebSocket socket, IReadOnlyCollection<string> types, Func<JsonElement, bool>? matches = null,
        List<JsonElement>? skipped = null)
    {
        var buffer = new byte[64 * 1024];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, limit.Token);
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
            if (types.Contains(message.GetProperty("type").GetString()) && (matches is null || matches(message)))
            {
                return message;
            }
            skipped?.Add(message);
        }
    }

    public static Task SendAsync(this WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, Cancellation);

    /// <summary>The bearer token a test client carries.</summary>
    public static string Token(this HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
