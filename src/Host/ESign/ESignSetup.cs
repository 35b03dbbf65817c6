using VirtualBranch.Workflows.ESign;

namespace VirtualBranch.Host.ESign;

/// <summary>The e-sign feature: the contract fonts (<see cref="ContractFonts"/>), the PDF renderer and the bank's e-sign provider.</summary>
public static class ESignSetup
{
    public static void AddESign(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ContractFonts.Read(builder.Configuration));
        builder.Services.AddSingleton<ContractPdf>();
        builder.Services.AddSingleton<IESignProvider, BankESignProvider>();
        builder.Services.AddHostedService<FontCheck>();
    }

    // A missing font stops the Host when it starts serving, not when the first contract is signed; the offline verbs
    // (verify, export, ...) never render a contract and start without it.
    private sealed class FontCheck(ContractFonts fonts) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            fonts.EnsureUsable();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
