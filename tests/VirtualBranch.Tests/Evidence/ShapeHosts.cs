using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;
using VirtualBranch.Host.Cases;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Checkpoints;
using VirtualBranch.Tests.Support;
using Wolverine;

namespace VirtualBranch.Tests.Evidence;

/// <summary>
/// A Host holding a loan case and a control-flow case, both decided on past days, then anchored by one checkpoint (a
/// checkpoint refuses cases written after it with events dated before it). Its intents are left to the cases' commands, as
/// in the benchmark, and its bank key was valid on those days (a Host's own demo key is valid from the day before it is made).
/// </summary>
public abstract class ShapeHost : HostFixture
{
    public const string LoanRecording = "loan-case-before-lean-events.json";
    public const string ControlFlowRecording = "control-flow-case-before-lean-events.json";

    private static readonly Lazy<string> SigningCertificate = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=VirtualBranch shape test bank, O=VirtualBranch, C=CN", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddYears(10));
        var path = Path.Combine(Directory.CreateTempSubdirectory("vb-shape-key-").FullName, "bank-signing.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, (string?)null));
        return path;
    });

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [CheckpointService.IntervalKey] = "0",
        ["Engine:SigningCertificatePath"] = SigningCertificate.Value,
    };

    /// <summary>
    /// The cases' commands answer the recording's seal and the contract's signature: the intents go nowhere (Release loads
    /// the handlers from generated code, so they are routed away rather than left undiscovered); deadlines as the Host routes them.
    /// </summary>
    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureWolverine(wolverine =>
        {
            wolverine.Policies.DisableConventionalLocalRouting();
            wolverine.PublishMessage<Host.Deadlines.DeadlineScheduled>().ToLocalQueue("deadlines");
        });

    /// <summary>The loan scenario's version 1 as the recorded case ran it (the file has moved on since).</summary>
    public const string LoanDefinitionVersion1 = "loan-face-signing-1.json";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var wolverine = Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>();
        foreach (var intent in new[] { typeof(Workflows.Media.RecordingStopRequested), typeof(Workflows.ESign.ContractSigningRequested) })
        {
            wolverine.RoutingFor(intent).Routes.ShouldBeEmpty($"the cases' commands answer {intent.Name}: the Host must not carry it out as well");
        }
        // A bank's store keeps every version it ran: version 1 is published here as it was, as a Host that ran it has it.
        var json = File.ReadAllText(RecordedStream.PathOf(LoanDefinitionVersion1));
        var version1 = Services.GetRequiredService<DefinitionParser>().Read(json).Definition!;
        await using (var session = Store.LightweightSession())
        {
            session.Store(new StoredDefinition
            {
                Id = StoredDefinition.KeyOf(version1.Id, version1.Version), DefinitionId = version1.Id, Version = version1.Version,
                ContentHash = version1.ContentHash, Json = json, PublishedAt = DateTimeOffset.UnixEpoch, PublishedBy = "recorded",
            });
            await session.SaveChangesAsync();
        }
        await Services.GetRequiredService<Host.Definitions.DefinitionLibrary>().LoadVersionAsync(StoredDefinition.KeyOf(version1.Id, version1.Version), CancellationToken.None);
        var files = Services.GetRequiredService<IEvidenceStore>();
        foreach (var bytes in LoanCase.Files.Values)
        {
            await files.PutAsync(new MemoryStream(bytes), CancellationToken.None);
        }
        await StoreCasesAsync();
        await Services.GetRequiredService<CheckpointWriter>().WriteAsync(null, CancellationToken.None);
    }

    protected abstract Task StoreCasesAsync();

    /// <summary>
    /// Appends each command's events as the engine's writer does (chained, sealed when the case closes, with its summary),
    /// without deciding them again: what was decided is what is stored.
    /// </summary>
    protected async Task AppendAsync(Guid caseId, IReadOnlyList<RecordedCommand> commands)
    {
        var decoder = new EventDecoder(Store);
        var signer = Services.GetRequiredService<BankSigner>();
        var writer = Services.GetRequiredService<CaseWriter>();
        var catalog = Services.GetRequiredService<DefinitionCatalog>();
        CachedCase? current = null;
        foreach (var command in commands)
        {
            var events = command.Events.Select(e => decoder.Decode(Row(e))).ToList();
            var state = events.Aggregate(current?.State, CaseEvolver.Evolve)!;
            var (links, after) = CaseCommandService.ChainAndSeal(signer, Store.Options.Serializer(), caseId, current, new Decision.Accepted(events, state),
                new Actor(command.ActorId, command.ActorRole), command.At);
            await writer.WriteAsync(new PendingAppend(caseId, current, links, CaseSummary.From(after, catalog), [], new RequestContext("shape-test", null)));
            current = new CachedCase(after, links[^1].Hash);
        }
    }

    /// <summary>A recorded event as the row the store would hand back.</summary>
    public static ChainedRow Row(RecordedEvent e) =>
        new(0, 0, e.Type, Encoding.UTF8.GetBytes(e.Json), DateTimeOffset.UnixEpoch, null, null, null, null, null, null, null);
}

/// <summary>The two cases exactly as the engine wrote them before a step's event carried its start and resume.</summary>
public sealed class RecordedShapeHost : ShapeHost
{
    protected override async Task StoreCasesAsync()
    {
        await AppendAsync(LoanCase.CaseId, RecordedStream.Read(LoanRecording));
        await AppendAsync(new CaseScenario(ControlFlowCase.Definition).CaseId, RecordedStream.Read(ControlFlowRecording));
    }
}

/// <summary>The same two cases as the engine writes them now: the loan case through the engine's command service.</summary>
public sealed class LeanShapeHost : ShapeHost
{
    /// <summary>The loan case's events, command by command.</summary>
    public List<IReadOnlyList<object>> Loan { get; } = [];

    /// <summary>The control-flow case as the decider decided it, command by command, and its state.</summary>
    public List<RecordedCommand> ControlFlow { get; } = [];

    public CaseScenario ControlFlowScenario { get; } = new(ControlFlowCase.Definition);

    protected override async Task StoreCasesAsync()
    {
        var cases = Services.GetRequiredService<CaseCommandService>();
        var definition = Services.GetRequiredService<DefinitionCatalog>().Find(LoanCase.DefinitionId, 1)!;
        await LoanCase.RunAsync(async command =>
        {
            var outcome = await cases.ExecuteAsync(LoanCase.CaseId, command, new RequestContext("lean-shape", null), CancellationToken.None,
                command is OpenCase ? definition : null);
            outcome.Rejection.ShouldBeNull(outcome.Rejection?.Detail);
            Loan.Add(outcome.Events);
            return outcome.Events;
        });
        var serializer = Store.Options.Serializer();
        ControlFlow.AddRange(ControlFlowCase.Commands(ControlFlowScenario)
            .Select(command => RecordedStream.Record(serializer, command, ControlFlowScenario.Then(command))));
        await AppendAsync(ControlFlowScenario.CaseId, ControlFlow);
    }
}
