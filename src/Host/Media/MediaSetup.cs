using VirtualBranch.Engine.Integrity;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Host.Media;

/// <summary>The local media adapter (audited) and the recording and disruption endpoints.</summary>
public static class MediaSetup
{
    public static void AddMedia(this WebApplicationBuilder builder)
    {
        // Every call is audited, whichever adapter is configured. The decorator is registered by hand: Scrutor keeps the
        // inner adapter under a random service key, which Wolverine's generated handlers then took instead of the
        // decorator (the seal through the intent handler went unaudited) and which pre-generated code cannot name.
        builder.Services.AddSingleton(sp => new LocalMediaAdapter(sp.GetRequiredService<IRecordingStaging>(), sp.GetRequiredService<ICaseEvidence>()));
        builder.Services.AddSingleton<IMediaAdapter>(sp => new AuditedMediaAdapter(sp.GetRequiredService<LocalMediaAdapter>(),
            sp.GetRequiredService<Marten.IDocumentStore>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CaseLookup>();
    }

    public static void MapMedia(this WebApplication app)
    {
        app.MapMediaApi();
        app.MapDisruptionsApi();
    }
}
