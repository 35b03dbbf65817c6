using System.Net;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Faults;

/// <summary>
/// A rolling restart under load, as a deploy does it: while cases run across two Host processes, one Host at a time is
/// stopped with SIGTERM at a random point and started again, four times. A stopping Host exits cleanly; a command it
/// did not answer (refused at the door, or written to a kept-alive connection just as the Host closed it, which HTTP/1.1
/// cannot tell from a lost answer) goes to the other Host with the same key. Then the same audit as the chaos test:
/// every step once, every deadline once, every message carried out, every chain intact. That a request in flight when
/// the stop comes is finished is <see cref="GracefulStopTests"/>.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RollingRestartTests(TwoHostProcesses hosts) : IClassFixture<TwoHostProcesses>
{
    private const int Cases = 80;
    private const int RestartsPerPhase = 2;
    private const int Seed = 20261204;

    [Fact]
    public async Task hosts_stopped_in_turn_under_load_finish_what_they_took_and_lose_nothing()
    {
        var driver = new ChaosDriver(hosts, await hosts.TokenFor("teller"), Seed);
        var exitCodes = new List<int>();
        async Task Stop(int host) => exitCodes.Add(await hosts.StopAsync(host));
        var (ids, restarts) = await driver.RunTwoPhasesAsync(new Random(Seed), Cases, RestartsPerPhase, Stop);

        restarts.ShouldBe(2 * RestartsPerPhase);
        exitCodes.ShouldAllBe(code => code == 0, "a Host stopped with SIGTERM drains and exits cleanly");
        driver.Log.Where(c => c.Status is not (HttpStatusCode.OK or HttpStatusCode.Created)).ShouldBeEmpty("every command answered, on one Host or the other");
        var report = await ChaosAudit.CheckAsync(hosts, ids, driver.Log);
        TestContext.Current.SendDiagnosticMessage($"rolling restart: {restarts} restarts, {Cases} cases, {report.StepsChecked} steps checked, " +
            $"{driver.Log.Count(c => c.Attempts > 1)} commands sent again to the other Host ({driver.Log.Count(c => c.CutOff > 0)} of them unanswered on a closing connection), " +
            $"{driver.Log.Count(c => c.Replayed)} answered from their key");
    }
}
