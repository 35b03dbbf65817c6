using Shouldly;
using VirtualBranch.ApiClient;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.ApiContract;

/// <summary>
/// The client NSwag generates from <c>docs/openapi.json</c> (tests/ApiClient) is enough to do a bank's work: sign in,
/// drive a case from open to completed through every role it needs, and read why a command was refused.
/// </summary>
public sealed class GeneratedClientTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task a_generated_client_drives_a_large_service_request_to_completed()
    {
        var teller = await SignedInAsync("teller");
        var supervisor = await SignedInAsync("supervisor");
        var coreBanking = await SignedInAsync("corebanking");

        var opened = await teller.OpenCaseAsync(null, new OpenCaseRequest { DefinitionId = "service-request", Data = new { customerName = "王小明", amount = 500_000 } });
        await teller.ResumeBookmarkAsync(opened.Id, Waiting(opened, "intake"), null, null, new ResumeRequest { Input = new { confirmed = true, urgent = false } });
        var split = await supervisor.GetCaseAsync(opened.Id);
        await supervisor.ResumeBookmarkAsync(opened.Id, Waiting(split, "review"), null, null, new ResumeRequest { Input = new { approved = true } });
        await coreBanking.SignalCaseAsync(opened.Id, "core-banking-confirmed", null, new { reference = "CB-2026-0001" });

        // The cooling-off timer fires in the Host's scheduler, not on a request: read until the case closes.
        var closed = await Eventually.Until(() => teller.GetCaseAsync(opened.Id), c => c.Status != "running", TimeSpan.FromSeconds(60),
            c => $"Case {c.Number} is still {c.Status}, waiting for {string.Join(", ", c.Waiting.Select(w => w.StepId))}");
        closed.Status.ShouldBe("completed");
        closed.Result.ShouldBe("completed");
    }

    [Fact]
    public async Task a_refusal_reaches_the_caller_as_typed_problem_details()
    {
        var teller = await SignedInAsync("teller");
        var opened = await teller.OpenCaseAsync(null, new OpenCaseRequest { DefinitionId = "service-request", Data = new { customerName = "李四", amount = 10 } });
        var intake = Waiting(opened, "intake");
        await teller.ResumeBookmarkAsync(opened.Id, intake, null, null, new ResumeRequest { Input = new { confirmed = true, urgent = false } });

        var refused = await Should.ThrowAsync<ApiException<ProblemDetails>>(() =>
            teller.ResumeBookmarkAsync(opened.Id, intake, null, null, new ResumeRequest { Input = new { confirmed = true, urgent = false } }));

        refused.StatusCode.ShouldBe(409);
        refused.Result.Status.ShouldBe(409);
        refused.Result.Title.ShouldNotBeNullOrWhiteSpace();
        refused.Result.Detail.ShouldNotBeNullOrWhiteSpace();
        refused.Result.Type.ToString().ShouldBe("https://httpstatuses.io/409");
    }

    [Fact]
    public async Task a_generated_client_retries_safely_with_an_idempotency_key_and_makes_a_step_conditional_on_the_version_it_saw()
    {
        var teller = await SignedInAsync("teller");
        var key = Guid.NewGuid().ToString();
        var request = new OpenCaseRequest { DefinitionId = "service-request", Data = new { customerName = "赵六", amount = 10 } };

        var first = await teller.OpenCaseAsync(key, request);
        (await teller.OpenCaseAsync(key, request)).Id.ShouldBe(first.Id, "a retry with the same key opens no second case");

        var intake = Waiting(first, "intake");
        var input = new ResumeRequest { Input = new { confirmed = true, urgent = false } };
        var stale = await Should.ThrowAsync<ApiException<ProblemDetails>>(() => teller.ResumeBookmarkAsync(first.Id, intake, null, $"\"{first.Version - 1}\"", input));
        stale.StatusCode.ShouldBe(409);
        (await teller.ResumeBookmarkAsync(first.Id, intake, null, $"\"{first.Version}\"", input)).Version.ShouldBeGreaterThan(first.Version);
    }

    [Fact]
    public async Task invalid_input_names_the_field_in_the_problem_errors()
    {
        var teller = await SignedInAsync("teller");

        var refused = await Should.ThrowAsync<ApiException<ProblemDetails>>(() =>
            teller.OpenCaseAsync(null, new OpenCaseRequest { DefinitionId = "service-request", Data = new { customerName = "李四" } }));

        refused.StatusCode.ShouldBe(400);
        refused.Result.Errors.ShouldNotBeNull().Select(e => e.Path).ShouldContain("/amount"); // a pointer into the case data
    }

    /// <summary>Signs in as an integrator's program would: the token operation of the same client, then a bearer header.</summary>
    private async Task<VirtualBranchClient> SignedInAsync(string user)
    {
        var http = host.CreateClient();
        var token = await new VirtualBranchClient(http).IssueTokenAsync(new TokenRequest { Username = user, Password = host.PasswordOf(user) });
        token.TokenType.ShouldBe("Bearer");
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.AccessToken);
        return new VirtualBranchClient(http);
    }

    private static string Waiting(CaseBody body, string stepId) => body.Waiting.Single(w => w.StepId == stepId).BookmarkId;
}
