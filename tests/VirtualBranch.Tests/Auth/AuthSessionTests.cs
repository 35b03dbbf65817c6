using Shouldly;
using VirtualBranch.Host.Auth.Sessions;

namespace VirtualBranch.Tests.Auth;

/// <summary>Given a session, when a refresh secret (its hash) is presented, then what happens to the session.</summary>
public sealed class AuthSessionTests
{
    private static readonly DateTimeOffset SignedIn = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = SignedIn.AddMinutes(20);

    private static AuthSession TokenSession(string refreshHash = "h1") => new()
    {
        Id = "sid", User = "teller", Role = "teller", Kind = SessionKind.Token,
        IssuedAt = SignedIn, ExpiresAt = SignedIn.AddHours(8), RefreshHash = refreshHash,
    };

    [Fact]
    public void given_an_active_session_when_its_current_secret_is_presented_then_it_expects_the_next_and_remembers_the_spent_one()
    {
        var rotated = TokenSession().Refresh("h1", "h2", Later).ShouldBeOfType<RefreshDecision.Rotated>().Session;
        rotated.RefreshHash.ShouldBe("h2");
        rotated.SpentRefreshHashes.ShouldBe(["h1"]);
        rotated.IsActiveAt(Later).ShouldBeTrue();
    }

    [Fact]
    public void given_a_rotated_session_when_the_spent_secret_is_presented_then_the_session_is_revoked()
    {
        var rotated = ((RefreshDecision.Rotated)TokenSession().Refresh("h1", "h2", Later)).Session;
        var reused = rotated.Refresh("h1", "h3", Later.AddMinutes(1)).ShouldBeOfType<RefreshDecision.Reused>().Session;
        reused.RevokedAt.ShouldBe(Later.AddMinutes(1));
        reused.Refresh("h2", "h3", Later.AddMinutes(2)).ShouldBeOfType<RefreshDecision.Refused>("the current secret buys nothing once the session is revoked");
    }

    [Fact]
    public void given_a_busy_session_when_it_rotates_then_it_remembers_only_the_latest_spent_secrets()
    {
        var session = TokenSession("s0");
        for (var i = 1; i <= AuthSession.SpentKept + 10; i++)
        {
            session = session.Refresh($"s{i - 1}", $"s{i}", Later).ShouldBeOfType<RefreshDecision.Rotated>().Session;
        }
        session.SpentRefreshHashes.Count.ShouldBe(AuthSession.SpentKept);
        session.SpentRefreshHashes[^1].ShouldBe($"s{AuthSession.SpentKept + 9}");
        session.Refresh($"s{AuthSession.SpentKept + 9}", "next", Later).ShouldBeOfType<RefreshDecision.Reused>();
    }

    [Fact]
    public void given_a_session_when_an_unknown_secret_is_presented_then_nothing_changes()
    {
        TokenSession().Refresh("guess", "h2", Later).ShouldBe(new RefreshDecision.Refused("The refresh token is not valid."));
    }

    [Fact]
    public void given_an_expired_session_when_its_current_secret_is_presented_then_it_is_refused()
    {
        TokenSession().Refresh("h1", "h2", SignedIn.AddHours(8)).ShouldBeOfType<RefreshDecision.Refused>().Reason.ShouldContain("expired");
    }

    [Fact]
    public void given_a_cookie_session_when_a_secret_is_presented_then_it_is_refused()
    {
        (TokenSession() with { Kind = SessionKind.Cookie }).Refresh("h1", "h2", Later).ShouldBeOfType<RefreshDecision.Refused>();
    }
}
