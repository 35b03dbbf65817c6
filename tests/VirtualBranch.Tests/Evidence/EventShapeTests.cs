using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Shouldly;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cli;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// Streams already in a bank's store, written when every step's start, resume and end were events of their own, and
/// the same cases as the engine writes them now (one event per step and command) fold to the same state, verify with
/// their files, and read alike on the regulator's timeline. Each shape has a Host of its own: both hold the same case ids.
/// </summary>
public sealed partial class EventShapeTests(RecordedShapeHost recorded, LeanShapeHost lean) : IClassFixture<RecordedShapeHost>, IClassFixture<LeanShapeHost>
{
    [Theory]
    [InlineData(ShapeHost.LoanRecording)]
    [InlineData(ShapeHost.ControlFlowRecording)]
    public void recorded_events_read_back_as_their_types_and_serialise_to_the_same_bytes(string recording)
    {
        var decoder = new EventDecoder(recorded.Store);
        var serializer = recorded.Store.Options.Serializer();
        foreach (var e in RecordedStream.Read(recording).SelectMany(c => c.Events))
        {
            serializer.ToJson(decoder.Decode(ShapeHost.Row(e))).ShouldBe(e.Json, $"a {e.Type} written before must be written the same way by today's types");
        }
    }

    [Fact]
    public async Task a_loan_case_in_either_shape_folds_verifies_and_reads_alike()
    {
        var old = RecordedStream.Read(ShapeHost.LoanRecording);
        var written = lean.Loan;

        // Before: 78 events in 15 commands, 44 of them a step's start, resume, wait or end. Now each step a command
        // touches is one event; the domain events are as they were, in the same order.
        (old.Sum(c => c.Events.Count), written.Sum(c => c.Count)).ShouldBe((78, 54));
        written.SelectMany(c => c).OfType<StepStarted>().ShouldBeEmpty();
        written.SelectMany(c => c).OfType<StepResumed>().ShouldBeEmpty();
        written.SelectMany(c => c).Where(e => e is not (StepTransition or StepStarted or StepResumed)).Select(e => CaseStreams.EventTypeName(e.GetType()))
            .ShouldBe(old.SelectMany(c => c.Events).Select(e => e.Type).Where(t => !t.StartsWith("step_", StringComparison.Ordinal)));

        var (before, now) = await BothAlikeAsync(LoanCase.CaseId);
        (before.Status, before.Version, now.Version).ShouldBe((CaseStatus.Completed, 79L, 55L), "each with its seal");
        foreach (var host in new HostFixture[] { recorded, lean })
        {
            (await VerifyAsync(host, LoanCase.CaseId)).GetProperty("filesChecked").GetInt32().ShouldBe(LoanCase.Files.Count);
        }
    }

    [Fact]
    public async Task a_control_flow_case_in_either_shape_folds_verifies_and_reads_alike()
    {
        var old = RecordedStream.Read(ShapeHost.ControlFlowRecording);
        var now = lean.ControlFlow;

        // The join that waits for its second branch keeps its start as an event of its own: nothing else of it is written then.
        (old.Sum(c => c.Events.Count), now.Sum(c => c.Events.Count)).ShouldBe((29, 19));
        now[1].Events.Select(e => e.Type).ShouldBe(["step_completed", "step_started"]);
        var (before, after) = await BothAlikeAsync(lean.ControlFlowScenario.CaseId);
        (before.Status, before.Fault, before.Version, after.Version).ShouldBe((CaseStatus.Cancelled, null, 30L, 20L), "each with its seal");
        JsonSerializer.Serialize(after).ShouldBe(JsonSerializer.Serialize(lean.ControlFlowScenario.State! with { Version = 20, Sealed = true }),
            "the decider's own state, and the seal");
    }

    /// <summary>Both stores' case, closed and sealed: folded from the rows to the same state (but for the count of events), intact, and the same timeline.</summary>
    private async Task<(CaseState Recorded, CaseState Lean)> BothAlikeAsync(Guid caseId)
    {
        var states = new List<CaseState>();
        var timelines = new List<string>();
        foreach (var host in new HostFixture[] { recorded, lean })
        {
            await using (var session = host.Store.QuerySession())
            {
                states.Add((await CaseStreams.LoadAsync(session, caseId, cancellation: TestContext.Current.CancellationToken))!);
            }
            var stored = await host.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{caseId}'");
            states[^1].Version.ShouldBe(stored);
            var verified = await VerifyAsync(host, caseId);
            verified.GetProperty("eventsChecked").GetInt32().ShouldBe((int)stored);
            var (exit, output) = await host.RunCliAsync("verify", caseId.ToString());
            exit.ShouldBe(CliVerbs.Ok, output);
            output.ShouldStartWith("intact");
            var regulator = await host.ClientFor("regulator");
            timelines.Add(WithoutVersions((await regulator.GetFromJsonAsync<JsonObject>($"/api/cases/{caseId}/timeline", TestContext.Current.CancellationToken))!));
        }
        (await recorded.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{caseId}' and type = 'step_started'")).ShouldBeGreaterThan(0,
            "the recorded shape is stored as it was");
        (await recorded.Database.ScalarAsync<long>($"select count(*) from vb.mt_events where stream_id = '{caseId}' and type = 'case_sealed'")).ShouldBe(1L);
        JsonSerializer.Serialize(states[0] with { Version = 0 }).ShouldBe(JsonSerializer.Serialize(states[1] with { Version = 0 }));
        timelines[0].ShouldBe(timelines[1]);
        JsonNode.Parse(timelines[0])!["steps"]!.AsArray().Count.ShouldBeGreaterThan(3);
        return (states[0], states[1]);
    }

    private static async Task<JsonElement> VerifyAsync(HostFixture host, Guid caseId)
    {
        var regulator = await host.ClientFor("regulator");
        var result = await regulator.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}/verify", TestContext.Current.CancellationToken);
        result.GetProperty("intact").GetBoolean().ShouldBeTrue(result.ToString());
        result.GetProperty("anchor").GetString()!.ShouldStartWith("anchored by checkpoint");
        return result;
    }

    /// <summary>
    /// The timeline without stream versions: the same steps and marks sit at different versions in the two shapes, and the
    /// seal names the version and chain head it signs.
    /// </summary>
    private static string WithoutVersions(JsonObject timeline)
    {
        foreach (var step in timeline["steps"]!.AsArray())
        {
            step!.AsObject().Remove("firstVersion").ShouldBeTrue();
        }
        foreach (var mark in timeline["marks"]!.AsArray())
        {
            mark!.AsObject().Remove("version").ShouldBeTrue();
            mark["what"] = SealedAt().Replace(mark["what"]!.GetValue<string>(), "Case sealed at version … (chain head …");
        }
        return timeline.ToJsonString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Case sealed at version \d+ \(chain head [0-9a-f]{12}…")]
    private static partial System.Text.RegularExpressions.Regex SealedAt();
}
