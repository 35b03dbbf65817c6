using Marten;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Host.Configuration;

namespace VirtualBranch.Host.Definitions;

/// <summary>
/// At start-up: reads every file in <c>definitions/</c>, refuses to start if any is invalid (naming the file, the
/// path and the problem), publishes new versions to the store, and loads every stored version into the catalog.
/// </summary>
public sealed class DefinitionLibrary(DefinitionParser parser, DefinitionCatalog catalog, IDocumentStore store, EngineOptions options, TimeProvider clock)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Parsing and validating the files (the slowest part of start-up) runs while the stored versions are fetched.
        var reading = Task.Run(() => ReadFolder(options.DefinitionsPath), cancellationToken);
        var storedRows = await FetchStoredAsync(cancellationToken);
        var fromFiles = await reading;
        await using var session = store.LightweightSession();
        var stored = AddToCatalog(storedRows, fromFiles.Select(f => f.Definition));
        var conflicts = new List<string>();
        foreach (var (file, definition) in fromFiles)
        {
            var published = stored.FirstOrDefault(s => s.Id == StoredDefinition.KeyOf(definition.Id, definition.Version));
            if (published is null)
            {
                session.Store(ToStored(definition, "definitions-folder"));
                DefinitionRelay.Announce(session, StoredDefinition.KeyOf(definition.Id, definition.Version));
                catalog.Add(definition);
            }
            else if (published.ContentHash != definition.ContentHash)
            {
                conflicts.Add($"{file}: version {definition.Version} of '{definition.Id}' is already published with other content; give the changed definition a new version.");
            }
        }
        if (conflicts.Count > 0)
        {
            throw new ConfigurationProblemException(string.Join(" | ", conflicts));
        }
        await session.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every published version from the store into the catalog (what running cases need).</summary>
    public async Task<IReadOnlyList<StoredDefinition>> LoadStoredAsync(CancellationToken cancellation) =>
        AddToCatalog(await FetchStoredAsync(cancellation), []);

    /// <summary>One published version (<c>id@version</c>) into the catalog, unless it is there already.</summary>
    public async Task LoadVersionAsync(string storedKey, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<StoredDefinition>(storedKey, cancellation) is { } stored)
        {
            AddToCatalog([stored], []);
        }
    }

    private async Task<IReadOnlyList<StoredDefinition>> FetchStoredAsync(CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return await session.Query<StoredDefinition>().ToListAsync(cancellation);
    }

    /// <summary>
    /// Parses the stored versions (in parallel; a version already in the catalog, or just read from a file, with the same
    /// content is not parsed again: a published version never changes).
    /// </summary>
    private IReadOnlyList<StoredDefinition> AddToCatalog(IReadOnlyList<StoredDefinition> stored, IEnumerable<WorkflowDefinition> alreadyRead)
    {
        var known = alreadyRead.ToDictionary(d => (StoredDefinition.KeyOf(d.Id, d.Version), d.ContentHash));
        var parsed = stored.Where(version => catalog.Find(version.DefinitionId, version.Version)?.ContentHash != version.ContentHash)
            .AsParallel().AsOrdered()
            .Select(version => known.GetValueOrDefault((version.Id, version.ContentHash)) ?? parser.Read(version.Json).Definition)
            .ToList();
        foreach (var definition in parsed.OfType<WorkflowDefinition>())
        {
            catalog.Add(definition);
        }
        return stored;
    }

    /// <summary>
    /// Publishes a new version (never overwriting one) for every Host: stored with the notification that tells the others
    /// (<see cref="DefinitionRelay"/>) in one transaction, then added to this Host's catalog. Null when published; else why not.
    /// </summary>
    public async Task<string?> PublishAsync(WorkflowDefinition definition, string publishedBy, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<StoredDefinition>(StoredDefinition.KeyOf(definition.Id, definition.Version), cancellation) is { } existing)
        {
            return $"Version {definition.Version} of '{definition.Id}' is already published ({(existing.ContentHash == definition.ContentHash ? "with the same content" : "with other content")}); publish a new version number.";
        }
        var stored = ToStored(definition, publishedBy);
        session.Insert(stored);
        DefinitionRelay.Announce(session, stored.Id);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception ex) when (ex is JasperFx.DocumentAlreadyExistsException || ex.InnerException is JasperFx.DocumentAlreadyExistsException)
        {
            return $"Version {definition.Version} of '{definition.Id}' was just published by someone else.";
        }
        catalog.Add(definition);
        return null;
    }

    private StoredDefinition ToStored(WorkflowDefinition definition, string publishedBy) => new()
    {
        Id = StoredDefinition.KeyOf(definition.Id, definition.Version),
        DefinitionId = definition.Id,
        Version = definition.Version,
        ContentHash = definition.ContentHash,
        Json = definition.CanonicalJson,
        PublishedAt = clock.GetUtcNow(),
        PublishedBy = publishedBy,
    };

    private List<(string File, WorkflowDefinition Definition)> ReadFolder(string folder)
    {
        var result = new List<(string, WorkflowDefinition)>();
        if (!Directory.Exists(folder))
        {
            return result;
        }
        var problems = new List<string>();
        var files = DefinitionSchema.DefinitionFilesIn(folder).AsParallel().AsOrdered()
            .Select(path => (Path: path, Read: parser.Read(File.ReadAllText(path)))).ToList(); // independent files: both cores
        foreach (var (path, read) in files)
        {
            var file = $"definitions/{Path.GetFileName(path)}";
            if (read.Definition is not { } definition)
            {
                problems.AddRange(read.Problems.Select(p => $"{file} {p.Path}: {p.Message} [{p.Code}]"));
                continue;
            }
            if (Path.GetFileNameWithoutExtension(path) != definition.Id)
            {
                problems.Add($"{file} $.id: the file must be named after the definition's id ('{definition.Id}.json').");
                continue;
            }
            result.Add((file, definition));
        }
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException($"invalid definition: {string.Join(" | ", problems)}");
        }
        return result;
    }
}
