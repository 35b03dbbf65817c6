namespace VirtualBranch.Host.Security;

/// <summary>Security headers on every response and the endpoint that hears about CSP violations.</summary>
public static class SecuritySetup
{
    public static void AddSecurity(this WebApplicationBuilder builder) => builder.Services.AddSingleton<CspViolations>();

    public static void MapSecurity(this WebApplication app) => app.MapCspReports();
}
