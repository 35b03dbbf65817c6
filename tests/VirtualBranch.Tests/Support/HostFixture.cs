using System.Net.Http.Json;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VirtualBranch.Tests.Support;

/// <summary>The real Host over a fresh database of its own: one per test class.</summary>
public class HostFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The fixture is not initialised.");

    public IServiceProvider Services => Factory.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>Extra configuration a test class needs (keys as in appsettings, e.g. <c>Engine:DataDirectory</c>).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public HttpClient CreateClient() => Factory.CreateClient();

    public virtual async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        DataDirectory = Directory.CreateTempSubdirectory("vb-test-").FullName;
        Start();
        await Task.CompletedTask;
    }

    public string DataDirectory { get; private set; } = "";

    /// <summary>Stops the Host and starts a new one on the same database and data, as after a crash or a deploy.</summary>
    public async Task RestartAsync()
    {
        await _factory!.DisposeAsync();
        Start();
    }

    private void Start()
    {
        _factory = CreateFactory();
        if (ServesBrowsers)
        {
            var port = BaseAddress?.Port ?? 0; // a restarted Host comes back where the pages look for it
            _factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
            _factory.StartServer();
            var addresses = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            BaseAddress = new Uri(addresses.First());
            return;
        }
        _ = _factory.Server; // start now, so schema creation happens here and not inside a test
    }

    /// <summary>A second Host process on the same database and data folder (in-memory server), as a bank runs several.</summary>
    public WebApplicationFactory<Program> StartAnotherHost()
    {
        var another = CreateFactory();
        _ = another.Server;
        _others.Add(another);
        return another;
    }

    private readonly List<WebApplicationFactory<Program>> _others = [];

    /// <summary>
    /// The built Host as a separate process on a loopback port, on this fixture's database and data folder (so it shares
    /// the signing keys and the demo accounts): a second node as an operator runs it, with <paramref name="settings"/> on top
    /// (environment variable names, e.g. <c>Evidence__Store</c>). The caller kills it.
    /// </summary>
    public async Task<(System.Diagnostics.Process Process, Uri Address)> StartHostProcessAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var pages = Path.Combine(Host.Configuration.EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "src", "Host"); // its wwwroot
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = Database.ConnectionString,
            ["Engine__DataDirectory"] = DataDirectory,
            ["Engine__SoloNode"] = "true",
            ["Engine__CreateDemoAccounts"] = "false",
            ["Limits__SignInPerAccount__Permits"] = "1000000",
            ["Limits__SignInPerAddress__Permits"] = "1000000",
            ["Limits__UploadsPerCaller__Permits"] = "1000000",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        var process = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--contentRoot", pages], environment);
        try
        {
            return (process, await HostProcess.ListeningAddressAsync(process));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private WebApplicationFactory<Program> CreateFactory()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Engine"] = _database!.ConnectionString,
            ["Engine:SoloNode"] = "true",
            ["Engine:DataDirectory"] = DataDirectory,
            ["Engine:CreateDemoAccounts"] = "true",
            // API-driven cases upload their recording and never end its segment as a page does: seal without waiting for it.
            ["Media:SealWaitSeconds"] = ServesBrowsers ? "10" : "0",
        };
        foreach (var (key, value) in GenerousLimits)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
            web.ConfigureTestServices(ConfigureServices);
        });
    }

    /// <summary>
    /// The suite signs in and uploads a great deal, many classes at once from one test process (all one address): their
    /// Hosts get limits nothing reaches. A class that tests a limit sets it tight in its <see cref="Settings"/>.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> GenerousLimits = new Dictionary<string, string?>
    {
        ["Limits:SignInPerAccount:Permits"] = "1000000",
        ["Limits:SignInPerAddress:Permits"] = "1000000",
        ["Limits:CustomerCodesPerAddress:Permits"] = "1000000",
        ["Limits:UploadsPerCaller:Permits"] = "1000000",
        ["Limits:CspReportsPerAddress:Permits"] = "1000000",
        ["Limits:Lockout:Failures"] = "1000000",
    };

    /// <summary>Services a test class replaces after the Host registered its own (e.g. a clock it can move).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Whether the Host listens on a real loopback port (for Chromium) instead of the in-memory test server.</summary>
    protected virtual bool ServesBrowsers => false;

    /// <summary>Where a browser reaches the Host (only when <see cref="ServesBrowsers"/>).</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>The password of a demo account, as a person would type it.</summary>
    public string PasswordOf(string user) =>
        File.ReadAllLines(Path.Combine(DataDirectory, "demo-users.txt")).Single(l => l.StartsWith(user + " ", StringComparison.Ordinal)).Split(' ')[2];

    /// <summary>A client signed in as one of the demo accounts (analyst, teller, teller2, supervisor, supervisor2, regulator, corebanking).</summary>
    public async Task<HttpClient> ClientFor(string user)
    {
        var password = PasswordOf(user);
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
