namespace VirtualBranch.Engine.Persistence;

/// <summary>A published definition version as kept in the store: the exact canonical text cases ran on.</summary>
public sealed record StoredDefinition
{
    /// <summary><c>{definitionId}@{version}</c>.</summary>
    public required string Id { get; init; }

    public required string DefinitionId { get; init; }

    public required int Version { get; init; }

    public required string ContentHash { get; init; }

    public required string Json { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    public required string PublishedBy { get; init; }

    public static string KeyOf(string definitionId, int version) => $"{definitionId}@{version}";
}
