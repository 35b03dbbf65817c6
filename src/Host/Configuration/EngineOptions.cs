using System.Globalization;
using Npgsql;

namespace VirtualBranch.Host.Configuration;

/// <summary>
/// The Host's own settings: <c>ConnectionStrings:Engine</c> and the <c>Engine</c> section, bound once at start and
/// checked there (<see cref="Bind"/>): a value of the wrong kind, an unknown key (a misspelt one would otherwise fall
/// back to a default in silence) or a path that cannot be one stops the Host with one line naming the key. Every part of
/// the Host reads them from here (<c>IOptions&lt;EngineOptions&gt;</c> or the singleton), never from configuration.
/// </summary>
public sealed class EngineOptions
{
    public const string ConnectionStringKey = "ConnectionStrings:Engine";
    public const string Section = "Engine";

    /// <summary>Sub-sections of <c>Engine</c> read by their own parts: <c>ForwardedHeaders</c> (proxies) and <c>Limits</c> (body sizes).</summary>
    private static readonly string[] SubSections = ["ForwardedHeaders", "Limits"];

    public required string ConnectionString { get; init; }

    /// <summary>Folder for generated keys, recordings and documents (default <c>.data</c> beside the content root).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Folder of the analysts' definition files loaded at start-up (default <c>definitions</c> in the checkout).</summary>
    public required string DefinitionsPath { get; init; }

    /// <summary>Wolverine runs as the only node (tests, one-machine installs); default: in Development only.</summary>
    public bool? SoloNode { get; init; }

    /// <summary>Logs warnings and errors only (command-line verbs, the benchmark).</summary>
    public bool Quiet { get; init; }

    /// <summary>Creates the demo accounts and their generated passwords on first run (<c>./run.sh</c> sets it).</summary>
    public bool CreateDemoAccounts { get; init; }

    /// <summary>Where customers' phones reach the Host (behind a proxy); unset: the origin of the request that sends the link.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>Seconds between scheduled checkpoints; 0 writes them only after seals.</summary>
    public int CheckpointIntervalSeconds { get; init; } = 60;

    /// <summary>The bank's signing key (PFX); unset: <c>bank-signing.pfx</c> in the data directory, generated on first run.</summary>
    public string? SigningCertificatePath { get; init; }

    public string? SigningCertificatePassword { get; init; }

    /// <summary>The certificates signatures are checked against; unset: <c>trust-store.pem</c> in the data directory.</summary>
    public string? TrustStorePath { get; init; }

    /// <summary>Where recording chunks wait until sealed (directory store); unset: <c>recordings</c> in the data directory.</summary>
    public string? RecordingsPath { get; init; }

    /// <summary>The key of a setting, as an operator writes it in configuration (<c>Engine:PublicUrl</c>).</summary>
    public static string KeyOf(string property) => $"{Section}:{property}";

    public string SigningCertificateFile => Path.GetFullPath(SigningCertificatePath ?? Path.Combine(DataDirectory, "bank-signing.pfx"));

    public string TrustStoreFile => Path.GetFullPath(TrustStorePath ?? Path.Combine(DataDirectory, "trust-store.pem"));

    /// <summary>
    /// The options as configured, with the data and definition folders defaulting under <paramref name="root"/>; a
    /// <see cref="ConfigurationProblemException"/> holding every problem, each naming its key, when they cannot be used.
    /// </summary>
    public static EngineOptions Bind(IConfiguration configuration, string root)
    {
        var problems = new List<string>();
        var connectionString = configuration.GetConnectionString("Engine");
        problems.AddRange(Problems(connectionString));
        var section = configuration.GetSection(Section);
        var known = typeof(EngineOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(ConnectionString)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!known.ContainsKey(child.Key) && !SubSections.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{KeyOf(child.Key)} is not a setting; the settings of {Section} are {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}.");
            }
        }
        T? Read<T>(string name, Func<string, T?> parse, string expected) where T : struct
        {
            var given = section[name];
            if (given is null)
            {
                return null;
            }
            var value = parse(given.Trim());
            if (value is null)
            {
                problems.Add($"{KeyOf(name)} is '{given}'; it must be {expected}.");
            }
            return value;
        }
        string? PathSetting(string name)
        {
            var given = section[name];
            if (given is not null && (string.IsNullOrWhiteSpace(given) || given.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            {
                problems.Add($"{KeyOf(name)} is '{given}', which is not a path.");
                return null;
            }
            return given is null ? null : Path.GetFullPath(given);
        }
        static bool? Flag(string text) => bool.TryParse(text, out var flag) ? flag : null;
        var interval = Read(nameof(CheckpointIntervalSeconds), text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : (int?)null,
            "a whole number of seconds, 0 or more");
        var publicUrl = section[nameof(PublicUrl)];
        if (!string.IsNullOrWhiteSpace(publicUrl)
            && !(Uri.TryCreate(publicUrl.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0))
        {
            problems.Add($"{KeyOf(nameof(PublicUrl))} is '{publicUrl}'; it must be the http or https address customers reach the Host at (no query), e.g. https://branch.example-bank.cn.");
        }
        var options = new EngineOptions
        {
            ConnectionString = connectionString ?? "",
            DataDirectory = PathSetting(nameof(DataDirectory)) ?? Path.GetFullPath(Path.Combine(root, ".data")),
            DefinitionsPath = PathSetting(nameof(DefinitionsPath)) ?? Path.GetFullPath(Path.Combine(root, "definitions")),
            SoloNode = Read(nameof(SoloNode), Flag, "true or false"),
            Quiet = Read(nameof(Quiet), Flag, "true or false") ?? false,
            CreateDemoAccounts = Read(nameof(CreateDemoAccounts), Flag, "true or false") ?? false,
            PublicUrl = string.IsNullOrWhiteSpace(publicUrl) ? null : publicUrl.Trim().TrimEnd('/'),
            CheckpointIntervalSeconds = interval ?? 60,
            SigningCertificatePath = PathSetting(nameof(SigningCertificatePath)),
            SigningCertificatePassword = section[nameof(SigningCertificatePassword)],
            TrustStorePath = PathSetting(nameof(TrustStorePath)),
            RecordingsPath = PathSetting(nameof(RecordingsPath)),
        };
        return problems.Count > 0 ? throw new ConfigurationProblemException(string.Join(" ", problems)) : options;
    }

    /// <summary>Every problem with the connection string, each naming its key; empty when it is usable.</summary>
    public static IReadOnlyList<string> Problems(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return [$"{ConnectionStringKey} is not set: give the PostgreSQL connection string (./run.sh writes one to .data/engine.env)."];
        }
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(parsed.Host)
                ? [$"{ConnectionStringKey} names no Host."]
                : [];
        }
        catch (ArgumentException ex)
        {
            return [$"{ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}"];
        }
    }
}
