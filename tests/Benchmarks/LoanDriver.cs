using System.Text.Json;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Workflows.Willingness;

namespace VirtualBranch.Benchmarks;

/// <summary>Carries out one command on one case: through the engine's command service, the HTTP API, or the pure decider.</summary>
public delegate Task<CommandOutcome> CommandExecutor(Guid caseId, CaseCommand command, RequestContext request, WorkflowDefinition? definitionToOpen);

/// <summary>Drives one loan-face-signing case from open to completed, as its people and systems would.</summary>
public sealed class LoanDriver(WorkflowDefinition loan, TimeProvider clock)
{
    /// <summary>The case's commands, in order.</summary>
    public static readonly string[] Commands =
        ["open", "link issued", "link delivered", "link opened", "video", "recording consent", "identity", "willingness", "id card", "income proof", "due diligence", "contract consent", "contract signed", "recording sealed"];

    public static int CommandsPerCase => Commands.Length;

    private static int _numbers;

    private static readonly Actor Teller = new("bench-teller", "teller");
    private static readonly Actor System = new("bench-media", "system");
    private static readonly JsonElement Data = Json(new { customerName = "张三", idNumber = "11010519491231002X", mobile = "13800138000", loanAmount = 200000, termMonths = 36 });

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    /// <summary>The engine's own command path, in process.</summary>
    public static CommandExecutor Engine(CaseCommandService cases) =>
        (id, command, request, open) => cases.ExecuteAsync(id, command, request, CancellationToken.None, open);

    /// <summary>Runs the case; returns each command's latency (ms) and the events each command appended (as far as the executor tells).</summary>
    public async Task<(List<double> Latencies, List<IReadOnlyList<object>> Batches)> RunAsync(int index, CommandExecutor execute)
    {
        var id = Guid.CreateVersion7();
        var customer = new Actor($"customer:{id:N}", "customer");
        var latencies = new List<double>(CommandsPerCase);
        var batches = new List<IReadOnlyList<object>>(CommandsPerCase);
        var request = new RequestContext($"bench-{index}", null);
        async Task<CommandOutcome> Do(CaseCommand command, WorkflowDefinition? open = null)
        {
            var started = global::System.Diagnostics.Stopwatch.GetTimestamp();
            var outcome = await execute(id, command, request, open);
            latencies.Add(global::System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (outcome.Rejection is { } rejected)
            {
                throw new InvalidOperationException($"{command.GetType().Name} refused: {rejected.Detail}");
            }
            batches.Add(outcome.Events);
            return outcome;
        }
        var linkId = id.ToString("N");
        // A customer's consent carries the confirmation the Host checked (a fresh one-time code sent to their phone).
        ResumeBookmark Resume(string bookmark, object input, Actor actor) => new(bookmark, Json(input), actor, clock.GetUtcNow())
        {
            Confirmation = actor == customer ? new CustomerConfirmation(linkId, "one-time code via benchmark-phone") : null,
        };
        // As DocumentsApi does after storing the file: the Host resumes the step itself, as 'document-upload'.
        ResumeBookmark Document(string kind) => new("documents.1", Json(new
        {
            documentId = Guid.NewGuid(), kind, sha256 = Convert.ToHexStringLower(global::System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            size = 1234, mediaType = kind == "id-card" ? "image/png" : "application/pdf", fileName = kind, uploadedBy = Teller.Id,
        }), new Actor("document-upload", "system"), clock.GetUtcNow());

        await Do(new OpenCase(id, $"LFS-BENCH-{Interlocked.Increment(ref _numbers):0000000}", Data, Teller, clock.GetUtcNow()), loan);
        await Do(new IssueCustomerLink(linkId, "benchmark-phone", "138****8000", clock.GetUtcNow().AddHours(2), Teller, clock.GetUtcNow()));
        await Do(new RecordLinkDelivery(linkId, "benchmark-phone", linkId, System, clock.GetUtcNow()));
        await Do(new RedeemCustomerLink(linkId, "one-time code via benchmark-phone", customer, clock.GetUtcNow()));
        await Do(Resume("video.1", new { participants = new[] { new { role = "teller", name = "李" }, new { role = "customer", name = "张三" } } }, Teller));
        await Do(Resume("recording.1", new { consent = true }, customer));
        var identity = await Do(Resume("identity.1", new { name = "张三", idNumber = "11010519491231002X", idExpiry = "2036-01-01", faceMatch = true }, Teller));
        var script = identity.Events.OfType<WillingnessScriptPresented>().Single();
        await Do(Resume("willingness.1", new { answers = script.Questions.Select((q, i) => new { questionId = q.Id, answer = q.Expected, offsetMs = 1000 * (i + 1) }) }, Teller));
        await Do(Document("id-card"));
        await Do(Document("income-proof"));
        await Do(Resume("due-diligence.1", new { answers = new { employer = "示例公司", monthlyIncome = 20000 }, findings = "ok", riskRating = "low" }, Teller));
        await Do(Resume("contract.1", new { consent = true }, customer));
        await Do(Resume("contract.1", new
        {
            pdfSha256 = new string('a', 64), pdfSize = 2048, signatureSha256 = new string('b', 64), signatureSize = 1500, signer = customer.Id, signerCertificate = "bench",
        }, System));
        await Do(Resume("stop-recording.1", new
        {
            mediaType = "video/webm",
            segments = new[] { new { segment = 0, sha256 = new string('c', 64), size = 100_000, chunks = 10, firstChunkAt = clock.GetUtcNow().AddMinutes(-20), lastChunkAt = clock.GetUtcNow() } },
        }, System));
        return (latencies, batches);
    }
}
