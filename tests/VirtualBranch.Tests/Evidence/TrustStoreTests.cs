using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shouldly;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence;

/// <summary>Signatures count only with a pinned key that was valid when they were made: keys rotate, old seals keep verifying.</summary>
public sealed class TrustStoreTests
{
    private static readonly byte[] Head = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"u8.ToArray();

    private static X509Certificate2 Key(string name, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(from, to);
    }

    private static readonly DateTimeOffset Start2025 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Mid2026 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void given_a_rotated_key_when_an_old_seal_is_checked_at_its_time_then_it_verifies_with_the_old_certificate()
    {
        using var old = Key("bank 2025", Start2025, Mid2026);
        using var current = Key("bank 2026", Mid2026.AddDays(-30), Mid2026.AddYears(5));
        var store = TrustStore.Of([old, current]);
        var check = store.Check(Head, Insider.Sign(Head, old), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        check.Valid.ShouldBeTrue(check.Detail);
        check.Signer.ShouldBe("CN=bank 2025");
        store.Check(Head, Insider.Sign(Head, current), Mid2026.AddDays(1)).Valid.ShouldBeTrue();
    }

    [Fact]
    public void given_a_signature_dated_outside_its_certificates_validity_when_checked_then_refused()
    {
        using var old = Key("bank 2025", Start2025, Mid2026);
        var check = TrustStore.Of([old]).Check(Head, Insider.Sign(Head, old), Mid2026.AddDays(1));
        check.Valid.ShouldBeFalse();
        check.Detail.ShouldContain("outside its certificate's validity");
    }

    [Fact]
    public void given_a_key_not_pinned_when_checked_then_refused_naming_the_signer_even_with_the_same_name()
    {
        using var pinned = Key("VirtualBranch demo bank", Start2025, Mid2026.AddYears(5));
        using var impostor = Key("VirtualBranch demo bank", Start2025, Mid2026.AddYears(5));
        var check = TrustStore.Of([pinned]).Check(Head, Insider.Sign(Head, impostor), Mid2026);
        check.Valid.ShouldBeFalse();
        check.Detail.ShouldBe($"signed by CN=VirtualBranch demo bank (SHA-256 {TrustStore.Fingerprint(impostor)}), which is not a trusted key");
    }

    [Fact]
    public void given_a_fingerprint_when_pinned_then_only_that_certificate_counts()
    {
        using var pinned = Key("bank", Start2025, Mid2026.AddYears(5));
        var colons = string.Join(':', TrustStore.Fingerprint(pinned).Chunk(2).Select(c => new string(c)));
        TrustStore.OfFingerprint(colons).Check(Head, Insider.Sign(Head, pinned), Mid2026).Valid.ShouldBeTrue();
        Should.Throw<FormatException>(() => TrustStore.OfFingerprint("12:34")).Message.ShouldContain("64 hex digits");
    }

    [Fact]
    public void given_a_damaged_signature_when_checked_then_refused_without_throwing()
    {
        using var pinned = Key("bank", Start2025, Mid2026.AddYears(5));
        var signature = Insider.Sign(Head, pinned);
        signature[signature.Length - 5] ^= 0x40;
        TrustStore.Of([pinned]).Check(Head, signature, Mid2026).Valid.ShouldBeFalse();
        TrustStore.Of([pinned]).Check(Head, [1, 2, 3], Mid2026).Detail.ShouldStartWith("the signature does not verify");
    }
}
