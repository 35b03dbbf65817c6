using System.Security.Cryptography;
using Npgsql;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// Evidence in PostgreSQL itself, for deployments without shared storage: each file is a row naming its hash and size and
/// its bytes in chunks of 1 MiB (<see cref="PostgresEvidenceTables"/>). A file is inserted in one transaction, so another
/// Host sees all of it or none; content already kept is not written again. Reads fetch one chunk at a time
/// (<see cref="PostgresEvidenceStream"/>), so a range of a long recording never loads the whole of it.
/// </summary>
public sealed class PostgresEvidenceStore(NpgsqlDataSource database) : IEvidenceStore
{
    public const int ChunkSize = 1 << 20;

    private readonly TablesOnce _tables = new(database, PostgresEvidenceTables.Ddl);

    public string Location => $"PostgreSQL table vb.vb_evidence_files (database {new NpgsqlConnectionStringBuilder(database.ConnectionString).Database})";

    public async Task<StoredContent> PutAsync(Stream content, CancellationToken cancellation)
    {
        await TablesAsync(cancellation);
        // The hash names the row, so it is known before the first insert: hash a seekable stream in place, spool any other.
        var spooled = content.CanSeek ? null : await Spool.CopyAsync(content, cancellation);
        try
        {
            var source = spooled ?? content;
            var start = source.Position;
            var expected = await ContentHash.CopyAsync(source, Stream.Null, cancellation);
            source.Position = start;
            await InsertAsync(source, expected, cancellation);
            return expected;
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync();
            }
        }
    }

    private async Task InsertAsync(Stream source, StoredContent expected, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using (var header = new NpgsqlCommand(
            "insert into vb.vb_evidence_files (sha256, size, chunk_size) values ($1, $2, $3) on conflict (sha256) do nothing", connection, transaction))
        {
            header.Parameters.Add(new() { Value = expected.Sha256 });
            header.Parameters.Add(new() { Value = expected.Size });
            header.Parameters.Add(new() { Value = ChunkSize });
            if (await header.ExecuteNonQueryAsync(cancellation) == 0)
            {
                return; // kept already (a concurrent insert of the same content waited for the first to commit)
            }
        }
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        for (var position = 0; await source.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellation) is var read and > 0; position++)
        {
            hasher.AppendData(buffer, 0, read);
            await using var chunk = new NpgsqlCommand("insert into vb.vb_evidence_chunks (sha256, position, data) values ($1, $2, $3)", connection, transaction);
            chunk.Parameters.Add(new() { Value = expected.Sha256 });
            chunk.Parameters.Add(new() { Value = position });
            chunk.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = buffer.AsMemory(0, read) });
            await chunk.ExecuteNonQueryAsync(cancellation);
        }
        if (Convert.ToHexStringLower(hasher.GetHashAndReset()) != expected.Sha256)
        {
            throw new IOException("The content changed while it was being stored; nothing was kept."); // the transaction rolls back
        }
        await transaction.CommitAsync(cancellation);
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellation) => await HeaderAsync(sha256, cancellation) is not null;

    public async Task<Stream?> OpenAsync(string sha256, CancellationToken cancellation) =>
        await HeaderAsync(sha256, cancellation) is var (size, chunkSize) ? new PostgresEvidenceStream(database, sha256, size, chunkSize) : null;

    public async Task<string?> CheckAsync(EvidenceFile file, CancellationToken cancellation)
    {
        if (!EvidenceHash.IsValid(file.Sha256))
        {
            return EvidenceHash.Malformed(file);
        }
        if (await HeaderAsync(file.Sha256, cancellation) is null)
        {
            return EvidenceHash.Missing(file);
        }
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var chunks = database.CreateCommand("select data from vb.vb_evidence_chunks where sha256 = $1 order by position"))
        {
            chunks.Parameters.Add(new() { Value = file.Sha256 });
            await using var reader = await chunks.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                hasher.AppendData(await reader.GetFieldValueAsync<byte[]>(0, cancellation));
            }
        }
        var actual = Convert.ToHexStringLower(hasher.GetHashAndReset());
        return EvidenceHash.Altered(file, actual);
    }

    public async Task DiscardAsync(string sha256, CancellationToken cancellation)
    {
        EvidenceHash.Require(sha256);
        await TablesAsync(cancellation);
        await using var batch = database.CreateBatch();
        foreach (var sql in new[] { "delete from vb.vb_evidence_chunks where sha256 = $1", "delete from vb.vb_evidence_files where sha256 = $1" })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new() { Value = sha256 });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellation); // a batch is one implicit transaction
    }

    private async Task<(long Size, int ChunkSize)?> HeaderAsync(string sha256, CancellationToken cancellation)
    {
        EvidenceHash.Require(sha256);
        await TablesAsync(cancellation);
        await using var command = database.CreateCommand("select size, chunk_size from vb.vb_evidence_files where sha256 = $1");
        command.Parameters.Add(new() { Value = sha256 });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? (reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    private Task TablesAsync(CancellationToken cancellation) => _tables.EnsureAsync(cancellation);
}
