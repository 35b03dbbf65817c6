using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Evidence;

/// <summary>
/// Where evidence is kept, bound from <c>Evidence:*</c> and checked at start-up: <c>Evidence:Store</c> is <c>directory</c>
/// (the default; a folder every Host mounts, e.g. over NFS) or <c>postgresql</c> (the case database itself, for
/// deployments without shared storage). With the directory store, files are under <c>Evidence:Directory</c> (default
/// <c>evidence</c> in the data directory) and chunks being recorded under <c>Engine:RecordingsPath</c> (default
/// <c>recordings</c> in the data directory); with PostgreSQL both are tables of the <c>vb</c> schema.
/// </summary>
public sealed record EvidenceOptions(string Store, string Directory, string RecordingsDirectory)
{
    public const string StoreKey = "Evidence:Store";
    public const string DirectoryKey = "Evidence:Directory";
    public static readonly string RecordingsKey = EngineOptions.KeyOf(nameof(EngineOptions.RecordingsPath));
    public const string DirectoryStore = "directory";
    public const string PostgresStore = "postgresql";

    public bool InDatabase => Store == PostgresStore;

    /// <summary>The options as configured, or a <see cref="ConfigurationProblemException"/> naming the key that is wrong.</summary>
    public static EvidenceOptions Read(IConfiguration configuration, EngineOptions engine)
    {
        var store = (configuration[StoreKey] ?? DirectoryStore).Trim().ToLowerInvariant();
        if (store is not (DirectoryStore or PostgresStore))
        {
            throw new ConfigurationProblemException($"{StoreKey} is '{configuration[StoreKey]}'; it must be {DirectoryStore} (a shared folder) or {PostgresStore} (the case database).");
        }
        var directory = Folder(configuration, DirectoryKey, Path.Combine(engine.DataDirectory, "evidence"));
        var recordings = NotAFile(RecordingsKey, engine.RecordingsPath ?? Path.Combine(engine.DataDirectory, "recordings"));
        return new EvidenceOptions(store, directory, recordings);
    }

    private static string Folder(IConfiguration configuration, string key, string fallback)
    {
        var given = configuration[key];
        if (given is null)
        {
            return fallback;
        }
        if (string.IsNullOrWhiteSpace(given) || given.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new ConfigurationProblemException($"{key} is '{given}', which is not a folder path.");
        }
        return NotAFile(key, Path.GetFullPath(given));
    }

    private static string NotAFile(string key, string full) =>
        File.Exists(full)
            ? throw new ConfigurationProblemException($"{key} names '{full}', which is a file; it must be a folder (shared by every Host).")
            : full;
}
