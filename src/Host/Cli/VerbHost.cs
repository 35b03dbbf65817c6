namespace VirtualBranch.Host.Cli;

/// <summary>
/// What a verb may ask of the process it runs in, each made only when a verb asks for it: the Host's services (so the
/// verbs that need no database never build a Host), and Wolverine's handler-code writer for <c>codegen</c>.
/// </summary>
internal sealed record VerbHost(Func<Task<IServiceProvider>> Services, Func<string?, TextWriter, int> WriteHandlerCode)
{
    /// <summary>A Host already running, as the tests hold one (or none, for the verbs that need no database).</summary>
    public static VerbHost Of(IServiceProvider? services) => new(
        () => services is null ? throw new InvalidOperationException("This verb needs the Host's services.") : Task.FromResult(services),
        (_, _) => throw new InvalidOperationException("codegen builds a Host of its own; run it as a process."));
}
