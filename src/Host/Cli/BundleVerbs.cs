using Spectre.Console;
using VirtualBranch.Host.Evidence;
using VirtualBranch.Host.Integrity;
using VirtualBranch.Host.Integrity.Timestamps;

namespace VirtualBranch.Host.Cli;

/// <summary><c>verify-bundle &lt;file.zip&gt; --trust &lt;bank.pem|fingerprint&gt; [--tsa tsa.pem] [--allow-unanchored]</c>: a bundle checked offline.</summary>
internal static class BundleVerbs
{
    public static int Verify(string file, string anchor, string? tsa, bool allowUnanchored, IAnsiConsole console)
    {
        if (!File.Exists(file))
        {
            return CliVerbs.UsageError(console, $"There is no file '{file}'.");
        }
        TrustStore trust;
        try
        {
            trust = File.Exists(anchor) ? TrustStore.Load(anchor) : TrustStore.OfFingerprint(anchor);
        }
        catch (Exception ex) when (ex is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return CliVerbs.UsageError(console, $"--trust {anchor}: neither a PEM file of certificates nor a fingerprint ({ex.Message}).");
        }
        if (tsa is not null && !File.Exists(tsa))
        {
            return CliVerbs.UsageError(console, $"--tsa {tsa}: there is no such file (the timestamp authority's certificates, PEM).");
        }
        TimestampTrust? authorities;
        try
        {
            authorities = tsa is null ? null : TimestampTrust.FromPemFiles([tsa]);
        }
        catch (Configuration.ConfigurationProblemException ex)
        {
            return CliVerbs.UsageError(console, ex.Message);
        }
        using var zip = File.OpenRead(file);
        var report = BundleVerifier.Verify(zip, trust, authorities, allowUnanchored);
        foreach (var check in report.Checks)
        {
            console.MarkupLineInterpolated($"[green]ok[/]    {check}");
        }
        if (!report.Intact)
        {
            console.MarkupLineInterpolated($"[red]FAIL[/]  {report.Problem}");
            return CliVerbs.Failed;
        }
        console.MarkupLineInterpolated($"[green]The bundle {Path.GetFileName(file)} is intact.[/]");
        return CliVerbs.Ok;
    }
}
