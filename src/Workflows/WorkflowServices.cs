using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtualBranch.Engine;
using VirtualBranch.Workflows.Identity;

namespace VirtualBranch.Workflows;

/// <summary>Registers the engine with the remote-banking activities and their default plug-ins.</summary>
public static class WorkflowServices
{
    public static IServiceCollection AddRemoteBanking(this IServiceCollection services)
    {
        services.TryAddSingleton<IIdentityVerifier, TellerAttestationVerifier>();
        return services.AddWorkflowEngine(typeof(WorkflowServices).Assembly);
    }
}
