using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Customers;

/// <summary>The messenger to customers (the local outbox unless a provider is registered), links, one-time codes and their endpoints.</summary>
public static class CustomersSetup
{
    public static void AddCustomers(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        builder.Services.AddSingleton(new OneTimeCodes(options.DataDirectory));
        builder.Services.AddSingleton<ICustomerMessenger>(sp => new LocalOutboxMessenger(Path.Combine(options.DataDirectory, "outbox"), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CustomerLinkCodes>();
        builder.Services.AddSingleton<CodeChallenges>();
    }

    public static void MapCustomers(this WebApplication app)
    {
        app.MapCustomerLinkApi();
        app.MapParticipantApi();
        app.MapCustomerSessionApi();
        app.MapCustomerConfirmationApi();
    }
}
