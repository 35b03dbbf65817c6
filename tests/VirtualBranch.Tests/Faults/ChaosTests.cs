using System.Net;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// 200 cases driven across two Host processes while one Host at a time is killed with SIGKILL at a random point of the
/// load and started again, twelve times. Then, from the streams against the driver's log: every case completed, every
/// step taken exactly once, every deadline fired once, every outbox message carried out, every chain intact.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ChaosTests(TwoHostProcesses hosts) : IClassFixture<TwoHostProcesses>
{
    private const int Cases = 200;
    private const int KillsPerPhase = 6;
    private const int Seed = 20261203;

    [Fact]
    public async Task cases_survive_a_host_killed_twelve_times_with_every_step_once_and_every_chain_intact()
    {
        var driver = new ChaosDriver(hosts, await hosts.TokenFor("teller"), Seed);
        var (ids, kills) = await driver.RunTwoPhasesAsync(new Random(Seed), Cases, KillsPerPhase, hosts.KillAsync);

        kills.ShouldBeGreaterThanOrEqualTo(10);
        driver.Log.Where(c => c.Status is not (HttpStatusCode.OK or HttpStatusCode.Created)).ShouldBeEmpty("every command answered, on one Host or the other");
        var report = await ChaosAudit.CheckAsync(hosts, ids, driver.Log);
        TestContext.Current.SendDiagnosticMessage($"chaos: {kills} kills, {Cases} cases, {report.StepsChecked} steps checked, " +
            $"{driver.Log.Count(c => c.Attempts > 1)} commands retried on the other Host, {driver.Log.Count(c => c.Replayed)} answered from their key, " +
            $"{report.MessagesReleased} messages of killed Hosts carried out by another");
    }
}

/// <summary>Chaos tests start and kill Host processes: they run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "faults";
}
