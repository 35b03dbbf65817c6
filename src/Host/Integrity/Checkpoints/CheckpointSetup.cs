namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>Registers checkpoints: their tables, the writer and its schedule, the readers and verifiers.</summary>
public static class CheckpointSetup
{
    public static void AddCheckpoints(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<CheckpointTables>();
        builder.Services.AddSingleton<CheckpointReader>();
        builder.Services.AddSingleton<CheckpointWriter>();
        builder.Services.AddSingleton<CheckpointVerifier>();
        builder.Services.AddSingleton<CheckpointLog>();
        builder.Services.AddSingleton<CheckpointService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<CheckpointService>());
    }

    public static void MapCheckpoints(this WebApplication app) => app.MapCheckpointsApi();
}
