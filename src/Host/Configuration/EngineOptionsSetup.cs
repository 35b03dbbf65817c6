using VirtualBranch.Host.Persistence;
using Serilog;

namespace VirtualBranch.Host.Configuration;

/// <summary>Binds and checks the Host's options before anything else is registered.</summary>
public static class EngineOptionsSetup
{
    public static EngineOptions AddEngineOptions(this WebApplicationBuilder builder)
    {
        var options = EngineOptions.Bind(builder.Configuration, FindRepositoryRoot(builder.Environment.ContentRootPath));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        return options;
    }

    public static void AddObservability(this WebApplicationBuilder builder)
    {
        var quiet = builder.Services.BuildRequiredSingleton<EngineOptions>().Quiet;
        builder.Services.AddSerilog((_, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Is(quiet ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Wolverine", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Marten", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("JasperFx", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", Serilog.Events.LogEventLevel.Warning)
            // A failed start is told in one line by HostLauncher, not as a logged stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", Serilog.Events.LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .Enrich.With<Telemetry.CommandContextEnricher>()
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{" + Telemetry.CommandContextEnricher.PropertyName + "}{NewLine}{Exception}"));
    }

    /// <summary>The checkout's root (the folder holding Engine.sln), so `dotnet run` from anywhere finds definitions and .data.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln")))
            {
                return dir.FullName;
            }
        }
        return start;
    }
}
