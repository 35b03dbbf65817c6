using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Cases;

/// <summary>A Host whose definitions folder holds one flow: a timer of a few seconds, then the end.</summary>
public sealed class TimerFlowHost : HostFixture
{
    private readonly string _definitions = Directory.CreateTempSubdirectory("vb-defs-").FullName;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Engine:DefinitionsPath"] = _definitions };

    public override ValueTask InitializeAsync()
    {
        var flow = new FlowBuilder("short-wait").Activity("wait", "timer", new { duration = "PT3S" }).Activity("finish", "end")
            .Connect("start", "done", "wait").Connect("wait", "elapsed", "finish");
        File.WriteAllText(Path.Combine(_definitions, "short-wait.json"), flow.Json());
        return base.InitializeAsync();
    }
}

public sealed class DeadlineRestartTests(TimerFlowHost host) : IClassFixture<TimerFlowHost>
{
    [Fact]
    public async Task a_deadline_fires_once_after_a_host_restart()
    {
        var teller = await host.ClientFor("teller");
        var opened = await teller.OpenCase("short-wait", new { });
        var id = opened.Id();

        await host.RestartAsync();

        var after = await host.ClientFor("teller");
        var closed = await after.WaitUntilClosed(id, TimeSpan.FromSeconds(120));
        closed.GetProperty("status").GetString().ShouldBe("completed");
        var fired = await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{id}' and type = 'deadline_reached'");
        fired.ShouldBe(1L);
    }
}
