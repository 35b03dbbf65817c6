using Microsoft.Extensions.Configuration;
using Shouldly;
using VirtualBranch.Host.Auth.Lockout;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Limits;

namespace VirtualBranch.Tests.Limits;

/// <summary>Limits are bound from configuration over sensible defaults, an impossible one stops the start naming its key; the lockout's count is a pure rule.</summary>
public sealed class AbuseLimitsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void the_defaults_suit_a_branch_and_configuration_overrides_them()
    {
        var defaults = RateLimits.Bind(Config());
        defaults.Lockout.Failures.ShouldBe(5);
        defaults.Lockout.Duration.ShouldBe(TimeSpan.FromMinutes(15));
        defaults.SignInPerAccount.Window.ShouldBe(TimeSpan.FromMinutes(15));
        var set = RateLimits.Bind(Config(("Limits:SignInPerAddress:Permits", "7"), ("Limits:SignInPerAddress:Window", "00:05:00")));
        set.SignInPerAddress.Permits.ShouldBe(7);
        set.SignInPerAddress.Window.ShouldBe(TimeSpan.FromMinutes(5));
        set.SignInPerAccount.Permits.ShouldBe(defaults.SignInPerAccount.Permits);
    }

    [Fact]
    public void an_impossible_or_malformed_limit_stops_the_start_naming_its_key()
    {
        Should.Throw<ConfigurationProblemException>(() => RateLimits.Bind(Config(("Limits:UploadsPerCaller:Permits", "0"), ("Limits:Lockout:Duration", "-00:01:00"))))
            .Message.ShouldBe("Limits:UploadsPerCaller:Permits is 0; it must be at least 1. Limits:Lockout:Duration is -00:01:00; it must be a positive time span such as 00:15:00.");
        Should.Throw<ConfigurationProblemException>(() => RateLimits.Bind(Config(("Limits:SignInPerAccount:Window", "soon"))))
            .Message.ShouldContain("Limits");
    }

    [Fact]
    public void a_lock_that_ran_out_starts_the_count_again()
    {
        var policy = new LockoutPolicy { Failures = 2, Duration = TimeSpan.FromMinutes(15) };
        var t0 = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var once = AccountLockout.AfterFailure(null, "teller", t0, policy);
        once.IsLockedAt(t0).ShouldBeFalse();
        var locked = AccountLockout.AfterFailure(once, "teller", t0.AddMinutes(1), policy);
        locked.LockedUntil.ShouldBe(t0.AddMinutes(16));
        locked.IsLockedAt(t0.AddMinutes(15)).ShouldBeTrue();
        locked.IsLockedAt(t0.AddMinutes(16)).ShouldBeFalse();
        var after = AccountLockout.AfterFailure(locked, "teller", t0.AddMinutes(17), policy);
        after.Failures.ShouldBe(1);
        after.LockedUntil.ShouldBeNull();
    }
}
