using Npgsql;
using VirtualBranch.Engine;
using VirtualBranch.Workflows;
using VirtualBranch.Host.Cases.Idempotency;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Deadlines;
using VirtualBranch.Host.Definitions;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Cases;

/// <summary>The engine, its activity libraries, definitions from the folder, and the command path.</summary>
public static class CasesSetup
{
    public static void AddCases(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRemoteBanking();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.ConnectionString));
        builder.Services.AddSingleton<CaseNumbers>();
        // Before the writer: hosted services stop in reverse order, so the writer's last commits are still announced.
        builder.Services.AddSingleton<CaseChanges>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaseChanges>());
        builder.Services.AddSingleton<CaseWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaseWriter>());
        builder.Services.AddSingleton<CaseCommandService>();
        builder.Services.AddIdempotencyKeys();
        builder.Services.AddTransient<DeadlineJob>();
        builder.Services.AddTransient<DeadlineSweep>();
        builder.Services.AddSingleton<DefinitionLibrary>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DefinitionLibrary>());
        builder.Services.AddSingleton<DefinitionRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DefinitionRelay>());
        builder.Services.AddHostedService<CaseNumberSequence>();
    }

    /// <summary>Creates the case number sequence before the first request.</summary>
    private sealed class CaseNumberSequence(CaseNumbers numbers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => numbers.EnsureSequenceAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
