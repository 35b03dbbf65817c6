namespace VirtualBranch.Engine.Integrity;

/// <summary>The name of a kept file: a SHA-256 as 64 lowercase hex digits. Anything else never reaches a path or a query.</summary>
public static class EvidenceHash
{
    public static bool IsValid(string? sha256) => sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigitLower);

    /// <summary>The hash itself, or an <see cref="ArgumentException"/> that says what is wrong with it.</summary>
    public static string Require(string? sha256) => IsValid(sha256)
        ? sha256!
        : throw new ArgumentException($"'{Shown(sha256)}' is not a SHA-256 hash: the evidence store names files by 64 lowercase hex digits.", nameof(sha256));

    /// <summary>The problem <see cref="IEvidenceStore.CheckAsync"/> reports for a malformed hash in an event.</summary>
    public static string Malformed(EvidenceFile file) => $"file named wrongly: the {file.Kind} '{Shown(file.Sha256)}' is not a SHA-256 hash";

    /// <summary>The problem a store reports for a file it does not hold.</summary>
    public static string Missing(EvidenceFile file) => $"file missing: the {file.Kind} {file.Sha256} is not in the evidence store";

    /// <summary>Null when the content still has the file's hash; otherwise the problem a store reports.</summary>
    public static string? Altered(EvidenceFile file, string actual) => actual == file.Sha256 ? null : $"file altered: the {file.Kind} {file.Sha256} now hashes to {actual}";

    private static string Shown(string? text) => text is null ? "(none)" : text.Length > 80 ? text[..80] + "…" : text;
}
