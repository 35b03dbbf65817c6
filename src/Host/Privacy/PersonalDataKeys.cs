using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;
using VirtualBranch.Engine.Runtime;

namespace VirtualBranch.Host.Privacy;

/// <summary>
/// The wrapping of a case's data key (PIPL crypto-shredding): a key-encryption key the Host never stores beside the
/// data. The default is a file in the data folder; a KMS or HSM plugs in here.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>Names the key-encryption key a wrapped data key was wrapped with (kept beside it, for rotation).</summary>
    string Id { get; }

    byte[] Wrap(byte[] dataKey, Guid caseId);

    byte[] Unwrap(byte[] wrapped, Guid caseId);
}

/// <summary>The key-encryption key as 32 random bytes in <c>.data/personal-data.kek</c> (0600), made on first run.</summary>
public sealed class FileKeyEncryptionKey : IKeyEncryptionKey
{
    public const string FileName = "personal-data.kek";

    private readonly byte[] _key;

    public FileKeyEncryptionKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            using var file = PrivateFiles.Create(path);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        }
        _key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        Id = "file:" + Convert.ToHexStringLower(SHA256.HashData(_key))[..16];
    }

    public string Id { get; }

    public byte[] Wrap(byte[] dataKey, Guid caseId)
    {
        var wrapped = new byte[12 + dataKey.Length + 16];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(wrapped.AsSpan(0, 12), dataKey, wrapped.AsSpan(12, dataKey.Length), wrapped.AsSpan(12 + dataKey.Length), caseId.ToByteArray());
        return wrapped;
    }

    public byte[] Unwrap(byte[] wrapped, Guid caseId)
    {
        var dataKey = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(12, dataKey.Length), wrapped.AsSpan(12 + dataKey.Length), dataKey, caseId.ToByteArray());
        return dataKey;
    }
}

/// <summary>How a command's events are stored: which personal values are sealed, under which key.</summary>
public interface IPersonalDataSealing
{
    /// <summary>Turns an event's JSON into what is stored; null when there is nothing personal to seal.</summary>
    Task<Func<string, string>?> ProtectionForAsync(Guid caseId, WorkflowDefinition definition, CaseState? before, CaseState after, CaseCommand command,
        CancellationToken cancellation);
}

/// <summary>
/// Each case's data key (AES-256), kept wrapped in <c>vb.vb_case_keys</c> and made when the case first has personal data
/// to store. Destroying it (retention's end) erases the case's personal fields everywhere they are stored sealed
/// (<see cref="PersonalData"/>); the row stays, with the time it was destroyed. A Host keeps the keys it used until it
/// hears one was destroyed (<see cref="ErasureRelay"/>).
/// </summary>
public sealed class PersonalDataKeys : IPersonalDataSealing, IDisposable
{
    private const string Ddl = """
        select pg_advisory_xact_lock(7162536);
        create schema if not exists vb;
        create table if not exists vb.vb_case_keys (
            case_id uuid primary key,
            wrapped bytea,
            kek text not null,
            created_at timestamptz not null default now(),
            destroyed_at timestamptz);
        """;

    private const int Capacity = 200_000;

    private readonly NpgsqlDataSource _database;
    private readonly IKeyEncryptionKey _kek;
    private readonly TablesOnce _tables;
    // A case's key, or null once destroyed; a case with no key yet is not remembered (it may get one on another Host).
    private readonly ConcurrentDictionary<Guid, byte[]?> _keys = new();

    public PersonalDataKeys(string connectionString, IKeyEncryptionKey kek)
    {
        _database = NpgsqlDataSource.Create(connectionString);
        _kek = kek;
        _tables = new TablesOnce(_database, Ddl);
    }

    /// <summary>
    /// How this command's events are stored: the personal values of the case's data and of the step input it carries,
    /// sealed under the case's key (made now if the case has none). Null when there is nothing personal to seal.
    /// </summary>
    public async Task<Func<string, string>?> ProtectionForAsync(Guid caseId, WorkflowDefinition definition, CaseState? before, CaseState after,
        CaseCommand command, CancellationToken cancellation)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        PersonalData.Collect(definition.Inputs, after.Data, values);
        if (command is ResumeBookmark resume && before?.Bookmarks.GetValueOrDefault(resume.BookmarkId)?.InputSchema is { } schema)
        {
            PersonalData.Collect(schema, resume.Input, values);
        }
        if (values.Count == 0)
        {
            return null;
        }
        // A case already erased keeps nothing personal: what it is given now is sealed under a key nobody keeps.
        var key = await KeyForAsync(caseId, cancellation) ?? RandomNumberGenerator.GetBytes(32);
        var sealedValues = values.OrderByDescending(v => v.Length).ToArray();
        return json => PersonalData.Seal(json, caseId, sealedValues, key);
    }

    /// <summary>A personal value kept outside the case's events (a document beside the case), sealed under the case's key.</summary>
    public async Task<string> SealAsync(Guid caseId, string text, CancellationToken cancellation) =>
        PersonalData.SealValue(text, caseId, await KeyForAsync(caseId, cancellation) ?? RandomNumberGenerator.GetBytes(32));

    /// <summary>The case's data key, made and stored if it has none; null if it was destroyed.</summary>
    public async Task<byte[]?> KeyForAsync(Guid caseId, CancellationToken cancellation)
    {
        if (Cached(caseId, out var cached))
        {
            return cached;
        }
        await _tables.EnsureAsync(cancellation);
        var fresh = RandomNumberGenerator.GetBytes(32);
        await using (var insert = _database.CreateCommand("insert into vb.vb_case_keys (case_id, wrapped, kek) values ($1, $2, $3) on conflict (case_id) do nothing"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = caseId });
            insert.Parameters.Add(new NpgsqlParameter { Value = _kek.Wrap(fresh, caseId) });
            insert.Parameters.Add(new NpgsqlParameter { Value = _kek.Id });
            await insert.ExecuteNonQueryAsync(cancellation);
        }
        return await ReadAsync(caseId, cancellation);
    }

    /// <summary>The case's data key for reading, made nowhere (null when it has none or it was destroyed).</summary>
    public async Task<byte[]?> ExistingKeyAsync(Guid caseId, CancellationToken cancellation)
    {
        if (Cached(caseId, out var cached))
        {
            return cached;
        }
        await _tables.EnsureAsync(cancellation);
        return await ReadAsync(caseId, cancellation);
    }

    /// <summary>The case's data key for reading (null when it has none or it was destroyed): from memory, else the database.</summary>
    public byte[]? KeyOf(Guid caseId)
    {
        if (Cached(caseId, out var cached))
        {
            return cached;
        }
        _tables.EnsureAsync(CancellationToken.None).GetAwaiter().GetResult();
        return ReadAsync(caseId, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Destroys the case's data key: what was sealed under it reads as erased from now on.</summary>
    public async Task DestroyAsync(Guid caseId, CancellationToken cancellation)
    {
        await _tables.EnsureAsync(cancellation);
        // One batch, one implicit transaction: the other Hosts hear of it (ErasureRelay) only once the key is gone.
        await using var batch = _database.CreateBatch();
        foreach (var sql in new[]
        {
            "insert into vb.vb_case_keys (case_id, wrapped, kek, destroyed_at) values ($1, null, 'none', now()) " +
            "on conflict (case_id) do update set wrapped = null, destroyed_at = coalesce(vb_case_keys.destroyed_at, now())",
            $"select pg_notify('{ErasureRelay.ChannelName}', $1::text)",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = caseId });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellation);
        _keys[caseId] = null;
    }

    /// <summary>Forgets the case's key (read again from the database when next needed).</summary>
    public void Forget(Guid caseId) => _keys.TryRemove(caseId, out _);

    /// <summary>Forgets every key held.</summary>
    public void ForgetAll() => _keys.Clear();

    /// <summary>Whether the case's key is destroyed (a case with no key has nothing sealed and counts as not destroyed).</summary>
    public async Task<bool> IsDestroyedAsync(Guid caseId, CancellationToken cancellation)
    {
        await _tables.EnsureAsync(cancellation);
        await using var command = _database.CreateCommand("select destroyed_at is not null from vb.vb_case_keys where case_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        return await command.ExecuteScalarAsync(cancellation) is true;
    }

    /// <summary>The stored JSON with its sealed values opened (erased where the key is gone), unchanged when it has none.</summary>
    public string Reveal(string json) => PersonalData.Reveal(json, KeyOf) ?? json;

    private bool Cached(Guid caseId, out byte[]? key) => _keys.TryGetValue(caseId, out key);

    private async Task<byte[]?> ReadAsync(Guid caseId, CancellationToken cancellation)
    {
        await using var command = _database.CreateCommand("select wrapped from vb.vb_case_keys where case_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        var stored = await command.ExecuteScalarAsync(cancellation);
        if (stored is null)
        {
            return null; // no key yet
        }
        var key = stored is byte[] wrapped ? _kek.Unwrap(wrapped, caseId) : null;
        if (_keys.Count >= Capacity)
        {
            _keys.Clear(); // crude but safe: every key can be read again
        }
        _keys[caseId] = key;
        return key;
    }

    public void Dispose() => _database.Dispose();
}
