using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Media.Network;

/// <summary>ICE servers and TURN credentials for the video rooms; bad <c>Media:*</c> configuration stops the start with one line.</summary>
public static class MediaNetworkSetup
{
    public static void AddMediaNetwork(this WebApplicationBuilder builder)
    {
        var (ice, problems) = IceOptions.Read(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException(string.Join(" ", problems));
        }
        builder.Services.AddSingleton(ice);
        if (ice.HasTurn)
        {
            builder.Services.AddSingleton(TurnSecret.Load(builder.Configuration, builder.Services.BuildRequiredSingleton<EngineOptions>().DataDirectory));
        }
    }

    public static void MapMediaNetwork(this WebApplication app) => app.MapMediaConfigApi();
}
