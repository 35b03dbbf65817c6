using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Problems;
using VirtualBranch.Host.Workbench;

namespace VirtualBranch.Host.Media.Network;

/// <summary><c>GET /api/media/config</c>: how a page sets up its call here, with TURN credentials issued to the caller.</summary>
public static class MediaConfigApi
{
    /// <summary>One entry of <c>RTCConfiguration.iceServers</c>; STUN servers carry no credentials.</summary>
    public sealed record IceServer(
        IReadOnlyList<string> Urls,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Credential = null);

    /// <summary>What <c>rtc.js</c> builds its <c>RTCPeerConnection</c> from; <c>CredentialSeconds</c> says when to fetch fresh TURN credentials.</summary>
    public sealed record MediaConfig(bool LoopbackOnly, string IceTransportPolicy, IReadOnlyList<IceServer> IceServers, int? CredentialSeconds);

    public static void MapMediaConfigApi(this WebApplication app) =>
        app.MapGet("/api/media/config", Get).WithTags("Media").RequireAuthorization().WithName("MediaConfig")
            .WithSummary("How pages set up WebRTC here: ICE servers (TURN with short-lived credentials), transport policy, loopback filter. Tellers, supervisors and customers.");

    private static Results<Ok<MediaConfig>, ProblemHttpResult> Get(HttpContext http, IceOptions ice, [FromServices] TurnSecret? secret, TimeProvider clock)
    {
        if (!VideoRooms.SeatsRole(http.User))
        {
            return ApiProblems.Forbidden("Not in a video call", "ICE servers and TURN credentials are for those who join video rooms: tellers, supervisors, customers and the people they invite.");
        }
        return TypedResults.Ok(For(ice, secret, RequestActor.Of(http.User).Id, clock.GetUtcNow()));
    }

    /// <summary>The configuration served to <paramref name="subject"/> at <paramref name="now"/>: STUN as configured, TURN with a credential of its own.</summary>
    public static MediaConfig For(IceOptions ice, TurnSecret? secret, string subject, DateTimeOffset now)
    {
        var servers = new List<IceServer>();
        if (ice.StunServers.ToList() is { Count: > 0 } stun)
        {
            servers.Add(new IceServer(stun));
        }
        if (ice.TurnServers.ToList() is { Count: > 0 } turn)
        {
            var credential = TurnCredentials.Issue(secret ?? throw new InvalidOperationException("TURN servers are configured without a secret."), subject, now);
            servers.Add(new IceServer(turn, credential.Username, credential.Password));
        }
        return new MediaConfig(ice.LoopbackOnly, ice.TransportPolicy, servers, ice.HasTurn ? (int)TurnCredentials.Lifetime.TotalSeconds : null);
    }
}
