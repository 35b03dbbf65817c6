using System.Security.Cryptography;
using VirtualBranch.Host.Configuration;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Integrity;

/// <summary>The bank's signing key and the trust store its signatures are checked against, both ready before the Host starts.</summary>
public static class IntegritySetup
{
    public static readonly string TrustStoreKey = EngineOptions.KeyOf(nameof(EngineOptions.TrustStorePath));

    public static void AddIntegrity(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildRequiredSingleton<EngineOptions>();
        var signer = new BankSigner(options);
        builder.Services.AddSingleton(signer);
        var path = options.TrustStoreFile;
        builder.Services.AddSingleton(BankTrust(path, signer));
    }

    /// <summary>
    /// The trust store, created with the signing certificate on first run. Afterwards the Host signs only with a key the
    /// store already trusts: a new key is pinned by the operator (keeping the old certificates, so old seals still verify).
    /// </summary>
    private static TrustStore BankTrust(string path, BankSigner signer)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, TrustStore.ToPem([signer.Certificate]));
        }
        TrustStore store;
        try
        {
            store = TrustStore.Load(path);
        }
        catch (CryptographicException ex)
        {
            throw new ConfigurationProblemException($"the trust store {path} ({TrustStoreKey}) is not a PEM file of certificates: {ex.Message}");
        }
        return store.Trusts(signer.Certificate) ? store : throw new ConfigurationProblemException(
            $"the bank's signing certificate {signer.Certificate.Subject} (SHA-256 {signer.Thumbprint}) is not in the trust store {path} ({TrustStoreKey}): "
            + "append its PEM there to sign with it, and keep the earlier certificates so that older seals still verify");
    }
}
