using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;
using VirtualBranch.Workflows.Media;
using Npgsql;

namespace VirtualBranch.Host.Evidence;

/// <summary>Registers the evidence feature: the store (<see cref="EvidenceOptions"/>), stored rows, verification, export, access log, retention.</summary>
public static class EvidenceSetup
{
    public static void AddEvidence(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        var evidence = EvidenceOptions.Read(builder.Configuration, options);
        builder.Services.AddSingleton(evidence);
        if (evidence.InDatabase)
        {
            builder.Services.AddSingleton<IEvidenceStore>(sp => new PostgresEvidenceStore(sp.GetRequiredService<NpgsqlDataSource>()));
            builder.Services.AddSingleton<IRecordingStaging>(sp => new PostgresRecordingStaging(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            builder.Services.AddSingleton<IEvidenceStore>(new DirectoryEvidenceStore(evidence.Directory));
            builder.Services.AddSingleton<IRecordingStaging>(new DirectoryRecordingStaging(evidence.RecordingsDirectory));
        }
        builder.Services.AddSingleton<ICaseEvidence>(sp => new Privacy.SealedCaseEvidence(sp.GetRequiredService<IEvidenceStore>(),
            sp.GetRequiredService<Privacy.PersonalDataKeys>(), sp.GetRequiredService<NpgsqlDataSource>()));
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
