namespace VirtualBranch.Host.Configuration;

/// <summary>A list in configuration, written either as children (<c>Key:0</c>, <c>Key:1</c>, ...) or as one comma-separated value.</summary>
public static class ConfigurationList
{
    /// <summary>The trimmed, non-empty items under <paramref name="key"/>; empty when it is not set.</summary>
    public static IReadOnlyList<string> Read(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        // Some configuration sources give a section with children an empty value of its own.
        var written = section.Value is { Length: > 0 } one ? one.Split(',') : section.GetChildren().Select(c => c.Value ?? "");
        return [.. written.Select(w => w.Trim()).Where(w => w.Length > 0)];
    }
}
