using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Shouldly;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>
/// The built Host serving HTTPS as <c>VB_HTTPS=1 ./run.sh</c> starts it: a certificate made by <c>scripts/https-cert.sh</c>,
/// given through Kestrel's own configuration (<c>Kestrel:Certificates:Default:Path</c> and <c>KeyPath</c>).
/// </summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task the_host_answers_health_over_https_with_the_generated_certificate_and_only_a_client_trusting_it_connects()
    {
        await using var database = await TestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("vb-https-").FullName;
        var data = Directory.CreateTempSubdirectory("vb-https-data-").FullName;
        var script = Path.Combine(EngineOptionsSetup.FindRepositoryRoot(AppContext.BaseDirectory), "scripts", "https-cert.sh");
        var generated = new ProcessStartInfo("bash", [script]) { RedirectStandardError = true };
        generated.Environment["VB_HTTPS_DIR"] = folder;
        using (var run = Process.Start(generated)!)
        {
            var said = await run.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await run.WaitForExitAsync(TestContext.Current.CancellationToken);
            run.ExitCode.ShouldBe(0, said);
        }
        var certificatePath = Path.Combine(folder, "cert.pem");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);

        using var host = HostProcess.Start(["--urls", "https://127.0.0.1:0"], new Dictionary<string, string>
        {
            ["ConnectionStrings__Engine"] = database.ConnectionString,
            ["Engine__DataDirectory"] = data,
            ["Engine__SoloNode"] = "true",
            ["Kestrel__Certificates__Default__Path"] = certificatePath,
            ["Kestrel__Certificates__Default__KeyPath"] = Path.Combine(folder, "key.pem"),
        });
        try
        {
            var address = await HostProcess.ListeningAddressAsync(host);
            address.Scheme.ShouldBe("https");

            using var trusting = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => Trusts(certificate, presented) });
            var health = await trusting.GetAsync(new Uri(address, "/health"), TestContext.Current.CancellationToken);
            health.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Healthy");

            using var ordinary = new HttpClient();
            var refused = await Should.ThrowAsync<HttpRequestException>(() => ordinary.GetAsync(new Uri(address, "/health"), TestContext.Current.CancellationToken));
            refused.InnerException.ShouldBeOfType<System.Security.Authentication.AuthenticationException>("a self-signed certificate is trusted only where a client says so");
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(folder, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The presented certificate chains to <paramref name="trusted"/> alone, for the name 127.0.0.1 (the system's roots play no part).</summary>
    private static bool Trusts(X509Certificate2 trusted, X509Certificate2? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented) && presented.MatchesHostname("127.0.0.1");
    }
}
