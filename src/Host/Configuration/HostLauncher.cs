using System.Net.Sockets;
using Npgsql;

namespace VirtualBranch.Host.Configuration;

/// <summary>Builds and runs the Host, turning a start-up failure into one clear line and exit code 1.</summary>
public static class HostLauncher
{
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        try
        {
            if (Cli.CliVerbs.IsCommandLine(args))
            {
                var host = new Cli.VerbHost(() => BuildForVerbAsync(configure), (folder, output) => Messaging.WolverineCodegen.Run(folder, configure, map, output));
                return await Cli.CliVerbs.RunAsync(host, args, Console.Out);
            }
            var builder = WebApplication.CreateBuilder(args);
            configure(builder);
            var app = builder.Build();
            map(app);
            await DatabaseProbe.EnsureReachableAsync(app.Services.GetRequiredService<EngineOptions>().ConnectionString);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } line)
        {
            await Console.Error.WriteLineAsync($"VirtualBranch cannot start: {line}");
            return 1;
        }
    }

    /// <summary>The Host's services for a verb that reads the database: built from configuration alone (the verb's arguments are no settings), quietly.</summary>
    private static async Task<IServiceProvider> BuildForVerbAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["Engine:Quiet"] = "true";
        configure(builder);
        var app = builder.Build();
        await DatabaseProbe.EnsureReachableAsync(app.Services.GetRequiredService<EngineOptions>().ConnectionString);
        return app.Services;
    }

    /// <summary>A sentence for the failures an operator can fix; null for real bugs, which keep their stack trace.</summary>
    public static string? Explain(Exception ex) => ex switch
    {
        ConfigurationProblemException c => c.Message,
        Wolverine.Runtime.Handlers.MissingPreBuiltTypesException m =>
            $"the pre-generated Wolverine code in src/Host/Internal/Generated is out of date ({m.Message}); run `dotnet run --project src/Host -c Debug -- codegen` and rebuild.",
        DatabaseUnreachableException d => d.Message,
        IOException io when io.InnerException is SocketException or Microsoft.AspNetCore.Connections.AddressInUseException
            => $"cannot listen on the configured address (ASPNETCORE_URLS / --urls): {io.Message}",
        Microsoft.AspNetCore.Connections.AddressInUseException a => $"the port is already in use (ASPNETCORE_URLS / --urls): {a.Message}",
        ArgumentOutOfRangeException { ParamName: "port" } => "a port in ASPNETCORE_URLS / --urls is out of range (1-65535).",
        UriFormatException u => $"an address in ASPNETCORE_URLS / --urls is malformed: {u.Message}",
        InvalidOperationException { InnerException: DatabaseUnreachableException d } => d.Message,
        AggregateException agg when agg.InnerExceptions.Count == 1 => Explain(agg.InnerExceptions[0]),
        NpgsqlException n => $"PostgreSQL refused a start-up step ({EngineOptions.ConnectionStringKey}): {n.Message}",
        _ when ex.InnerException is not null => Explain(ex.InnerException),
        _ => null,
    };
}
