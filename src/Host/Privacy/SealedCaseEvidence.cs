using System.Security.Cryptography;
using Npgsql;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Host.Privacy;

/// <summary>
/// Every evidence file sealed under its case's data key (<see cref="EvidenceCipher"/>) before it reaches the store: the
/// store (a shared folder, or PostgreSQL) holds only ciphertext, named by the ciphertext's own hash, and
/// <c>vb.vb_evidence_copies</c> says which sealed copy is which case's file. Each case has its own copy, so destroying a
/// case's key at the end of its retention leaves nothing of its files readable anywhere, backups included, while another
/// case that holds the same content keeps its copy. Files kept before sealing existed are plain in the store under their
/// own hash; they are read, checked and erased as before.
/// </summary>
public sealed class SealedCaseEvidence(IEvidenceStore store, PersonalDataKeys keys, NpgsqlDataSource database) : ICaseEvidence
{
    private const string Ddl = """
        select pg_advisory_xact_lock(7162538);
        create schema if not exists vb;
        create table if not exists vb.vb_evidence_copies (
            sha256 text not null,
            case_id uuid not null,
            sealed_sha256 text not null,
            size bigint not null,
            kept_at timestamptz not null default now(),
            primary key (sha256, case_id));
        """;

    private readonly TablesOnce _tables = new(database, Ddl);

    public string Location => $"{store.Location}, each file sealed under its case's key";

    public async Task<StoredContent> PutAsync(Guid caseId, Stream content, CancellationToken cancellation)
    {
        var key = await keys.KeyForAsync(caseId, cancellation)
            ?? throw new InvalidOperationException($"The personal data of case {caseId} was erased; no file can be kept for it any more.");
        await using var spool = Spool.Empty();
        var plain = await EvidenceCipher.SealAsync(content, spool, caseId, key, cancellation);
        var kept = await CopyAsync(caseId, plain.Sha256, cancellation);
        if (kept is not null && await store.ExistsAsync(kept, cancellation))
        {
            return plain; // the case keeps this content already
        }
        spool.Position = 0;
        var sealedCopy = (await store.PutAsync(spool, cancellation)).Sha256;
        // A new row, or a row whose copy was lost now names this one (the same content again mends it); when a concurrent
        // put of the same content for the case got there first, its copy stands and this one goes.
        await using var keep = await _tables.CommandAsync("""
            insert into vb.vb_evidence_copies (sha256, case_id, sealed_sha256, size) values ($1, $2, $3, $4)
            on conflict (sha256, case_id) do update set sealed_sha256 = excluded.sealed_sha256, kept_at = now()
                where vb_evidence_copies.sealed_sha256 = $5
            """, cancellation, plain.Sha256, caseId, sealedCopy, plain.Size, kept ?? "");
        if (await keep.ExecuteNonQueryAsync(cancellation) == 0)
        {
            await store.DiscardAsync(sealedCopy, cancellation);
        }
        return plain;
    }

    public async Task<bool> ExistsAsync(Guid caseId, string sha256, CancellationToken cancellation) =>
        await CopyAsync(caseId, EvidenceHash.Require(sha256), cancellation) is { } sealedCopy
            ? await keys.ExistingKeyAsync(caseId, cancellation) is not null && await store.ExistsAsync(sealedCopy, cancellation)
            : await store.ExistsAsync(sha256, cancellation);

    public async Task<Stream?> OpenAsync(Guid caseId, string sha256, CancellationToken cancellation)
    {
        if (await CopyAsync(caseId, EvidenceHash.Require(sha256), cancellation) is not { } sealedCopy)
        {
            return await store.OpenAsync(sha256, cancellation); // kept before files were sealed
        }
        if (await keys.ExistingKeyAsync(caseId, cancellation) is not { } key || await store.OpenAsync(sealedCopy, cancellation) is not { } source)
        {
            return null;
        }
        try
        {
            return await EvidenceCipher.OpenAsync(source, caseId, key, cancellation);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            await source.DisposeAsync();
            return null; // verify names what is wrong with it
        }
    }

    public async Task<string?> CheckAsync(Guid caseId, EvidenceFile file, CancellationToken cancellation)
    {
        if (!EvidenceHash.IsValid(file.Sha256))
        {
            return EvidenceHash.Malformed(file);
        }
        if (await CopyAsync(caseId, file.Sha256, cancellation) is not { } sealedCopy)
        {
            return await store.CheckAsync(file, cancellation);
        }
        // The sealed copy first: a changed byte of it is named as the store names it, before any key is used.
        if (await store.CheckAsync(file with { Sha256 = sealedCopy }, cancellation) is { } damaged)
        {
            return damaged.Replace(sealedCopy, $"{file.Sha256} (sealed as {sealedCopy})", StringComparison.Ordinal);
        }
        if (await keys.ExistingKeyAsync(caseId, cancellation) is not { } key)
        {
            return $"file unreadable: the {file.Kind} {file.Sha256} is sealed under the case's key, which is destroyed";
        }
        if (await store.OpenAsync(sealedCopy, cancellation) is not { } source)
        {
            return EvidenceHash.Missing(file);
        }
        await using var _ = source;
        try
        {
            await using var plain = await EvidenceCipher.OpenAsync(source, caseId, key, cancellation);
            using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[EvidenceCipher.SegmentSize];
            for (int read; (read = await plain.ReadAsync(buffer, cancellation)) > 0;)
            {
                hasher.AppendData(buffer, 0, read);
            }
            return EvidenceHash.Altered(file, Convert.ToHexStringLower(hasher.GetHashAndReset()));
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            return $"file altered: the {file.Kind} {file.Sha256} no longer opens under the case's key ({ex.Message})";
        }
    }

    public async Task DiscardAsync(Guid caseId, string sha256, CancellationToken cancellation)
    {
        if (await CopyAsync(caseId, EvidenceHash.Require(sha256), cancellation) is not { } sealedCopy)
        {
            return; // a plain file kept before sealing is shared by content: its owner decides (see RetentionSweep)
        }
        // The row first: stopped in between, what is left is ciphertext nobody names, never a name for nothing.
        await using var delete = await _tables.CommandAsync("delete from vb.vb_evidence_copies where sha256 = $1 and case_id = $2", cancellation, sha256, caseId);
        await delete.ExecuteNonQueryAsync(cancellation);
        await store.DiscardAsync(sealedCopy, cancellation);
    }

    private async Task<string?> CopyAsync(Guid caseId, string sha256, CancellationToken cancellation)
    {
        await using var command = await _tables.CommandAsync("select sealed_sha256 from vb.vb_evidence_copies where sha256 = $1 and case_id = $2", cancellation, sha256, caseId);
        return await command.ExecuteScalarAsync(cancellation) as string;
    }
}
