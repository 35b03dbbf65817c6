using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Evidence;

/// <summary>Registers the evidence feature: stored rows, verification, export, access log, retention.</summary>
public static class EvidenceSetup
{
    public static void AddEvidence(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        builder.Services.AddSingleton(new EvidenceStore(Path.Combine(options.DataDirectory, "evidence")));
        builder.Services.AddSingleton<StoredEvents>();
        builder.Services.AddSingleton<EventDecoder>();
        builder.Services.AddSingleton<SummaryRebuild>();
        builder.Services.AddSingleton<CaseVerifier>();
        builder.Services.AddSingleton<ExportBundle>();
        builder.Services.AddSingleton<AccessLog>();
        builder.Services.AddTransient<RetentionSweep>();
    }

    public static void MapEvidence(this WebApplication app)
    {
        app.MapEvidenceApi();
        app.MapLegalHoldApi();
        app.MapEvidenceFileApi();
    }
}
