using Spectre.Console;

namespace VirtualBranch.Host.Cli;

/// <summary>One run of a verb: where it writes, and the Host's services, built (and their tables made sure of) on first use.</summary>
internal sealed class VerbRun(IAnsiConsole console, TextWriter output, VerbHost host)
{
    private Task<IServiceProvider>? services;

    public IAnsiConsole Console => console;

    /// <summary>Plain output (a definition as JSON, help), written as it is, without markup.</summary>
    public TextWriter Output => output;

    public VerbHost Host => host;

    public Task<IServiceProvider> ServicesAsync() => services ??= Prepare();

    private async Task<IServiceProvider> Prepare()
    {
        var provider = await host.Services();
        // A database written by an earlier version has no checkpoint tables until a Host starts on it.
        await Integrity.Checkpoints.CheckpointTables.EnsureAsync(provider.GetRequiredService<Npgsql.NpgsqlDataSource>(), CancellationToken.None);
        return provider;
    }
}
