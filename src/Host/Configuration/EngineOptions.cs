using Npgsql;

namespace VirtualBranch.Host.Configuration;

/// <summary>Where the Host keeps its state; bound from <c>ConnectionStrings:Engine</c> and <c>Engine:*</c>.</summary>
public sealed class EngineOptions
{
    public const string ConnectionStringKey = "ConnectionStrings:Engine";

    public required string ConnectionString { get; init; }

    /// <summary>Folder for generated keys, recordings and documents (default <c>.data</c> beside the content root).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Folder of the analysts' definition files loaded at start-up (default <c>definitions</c> in the checkout).</summary>
    public required string DefinitionsPath { get; init; }

    /// <summary>Every problem with the configuration, each naming its key; empty when it is usable.</summary>
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
