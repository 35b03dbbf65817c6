using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Wolverine;

namespace VirtualBranch.Host.Messaging;

/// <summary>
/// <c>codegen [--out folder]</c>: writes Wolverine's handler code to <c>src/Host/Internal/Generated</c>, which Release
/// builds compile in and load statically (no Roslyn at run time, a faster start). Run it after adding or changing a
/// message handler; a test fails while the committed files differ from what this writes. Needs no database.
/// </summary>
public static class WolverineCodegen
{
    /// <summary>Writes the code to <paramref name="folder"/>, or to <c>src/Host/Internal/Generated</c> when none is given.</summary>
    public static int Run(string? folder, Action<WebApplicationBuilder> configure, Action<WebApplication> map, TextWriter output)
    {
        DynamicCodeBuilder.WithinCodegenCommand = true; // before Build: ignore the committed registries, skip the static-type checks
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["Engine:Quiet"] = "true";
        if (string.IsNullOrWhiteSpace(builder.Configuration["ConnectionStrings:Engine"]))
        {
            builder.Configuration["ConnectionStrings:Engine"] = "Host=127.0.0.1;Database=codegen"; // well-formed; writing code never connects
        }
        configure(builder);
        using var app = builder.Build();
        map(app);
        var options = app.Services.GetRequiredService<WolverineOptions>();
        var target = folder is not null
            ? Path.GetFullPath(folder)
            : Path.Combine(Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host", "Internal", "Generated");
        options.CodeGeneration.GeneratedCodeOutputPath = target;
        // The writer never removes files of handlers that are gone: clear what an earlier run wrote, and nothing else.
        var handlers = new DirectoryInfo(Path.Combine(target, "WolverineHandlers"));
        if (handlers.Exists)
        {
            foreach (var file in handlers.EnumerateFiles("*.cs"))
            {
                file.Delete();
            }
        }
        var code = new DynamicCodeBuilder(app.Services, [.. app.Services.GetServices<ICodeFileCollection>()])
        {
            ServiceVariableSource = app.Services.GetService<IServiceVariableSource>(),
        };
        code.WriteGeneratedCode(file => output.WriteLine($"wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), file)}"));
        return 0;
    }
}
