using System.Globalization;
using Shouldly;
using VirtualBranch.Host.Auth;

namespace VirtualBranch.Tests.Auth;

/// <summary>Password checks of local accounts, watched through the verification function they call.</summary>
public sealed class LocalAccountsTests
{
    private static readonly LocalAccount Teller = new("teller", "teller", PasswordHasher.Hash("the teller's password"));

    private sealed class Watched
    {
        public List<string> Hashes { get; } = [];

        public bool Verify(string password, string hash)
        {
            Hashes.Add(hash);
            return PasswordHasher.Verify(password, hash);
        }
    }

    private static int IterationsOf(string hash) => int.Parse(hash.Split('$')[1], CultureInfo.InvariantCulture);

    [Fact]
    public void an_unknown_user_costs_one_verification_at_the_configured_iteration_count()
    {
        var watched = new Watched();
        new LocalAccounts([Teller], watched.Verify).SignIn("nobody", "the teller's password").ShouldBeNull();

        var hash = watched.Hashes.ShouldHaveSingleItem();
        hash.ShouldStartWith("pbkdf2-sha256$");
        IterationsOf(hash).ShouldBe(PasswordHasher.Iterations);
        IterationsOf(hash).ShouldBe(IterationsOf(Teller.PasswordHash), "the same cost as a known user's check");
    }

    [Fact]
    public void a_known_user_costs_one_verification_against_their_own_hash()
    {
        var watched = new Watched();
        var accounts = new LocalAccounts([Teller], watched.Verify);
        accounts.SignIn("teller", "wrong").ShouldBeNull();
        accounts.SignIn("teller", "the teller's password").ShouldBe(Teller);
        watched.Hashes.ShouldBe([Teller.PasswordHash, Teller.PasswordHash]);
    }

    [Fact]
    public void a_changed_password_is_checked_instead_of_the_configured_one()
    {
        var changed = PasswordHasher.Hash("the new, longer password");
        var accounts = new LocalAccounts([Teller]);
        accounts.SignIn("teller", "the teller's password", changed).ShouldBeNull();
        accounts.SignIn("teller", "the new, longer password", changed).ShouldBe(Teller with { PasswordHash = changed });
    }

    [Fact]
    public void the_unknown_users_hash_matches_no_password_a_caller_would_try()
    {
        PasswordHasher.Verify("", PasswordHasher.Unmatchable).ShouldBeFalse();
        PasswordHasher.Verify("the teller's password", PasswordHasher.Unmatchable).ShouldBeFalse();
    }
}
