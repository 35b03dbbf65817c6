using System.Globalization;
using Npgsql;
using VirtualBranch.Engine.Definitions;

namespace VirtualBranch.Host.Cases;

/// <summary>Human case numbers such as <c>LFS-2026-000123</c>: a prefix per scenario, the year, and a database sequence.</summary>
public sealed class CaseNumbers(NpgsqlDataSource database)
{
    public const string Sequence = "vb.case_number_seq";

    public async Task EnsureSequenceAsync(CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"create schema if not exists vb; create sequence if not exists {Sequence}");
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public async Task<string> NextAsync(WorkflowDefinition definition, DateTimeOffset now, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"select nextval('{Sequence}')");
        var next = (long)(await command.ExecuteScalarAsync(cancellation))!;
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix(definition)}-{now.UtcDateTime.Year}-{next:000000}");
    }

    public static string Prefix(WorkflowDefinition definition) =>
        definition.Policies.NumberPrefix
            ?? string.Concat(definition.Id.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0])));
}
