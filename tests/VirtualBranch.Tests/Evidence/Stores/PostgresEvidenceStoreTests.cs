using Npgsql;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Evidence.Stores;

/// <summary>The PostgreSQL store (for deployments without shared storage) passes the same contract, on a database of its own.</summary>
public sealed class PostgresEvidenceStoreTests : EvidenceStoreContract, IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresEvidenceStore _store = null!;

    protected override IEvidenceStore Store => _store;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
        _store = new PostgresEvidenceStore(_source);
        await _store.ExistsAsync(new string('0', 64), CancellationToken.None); // creates the tables, so counting works before the first put
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<int> CountAsync() =>
        (int)await _database.ScalarAsync<long>("select count(*) from vb.vb_evidence_files");

    // An insider cannot update a row (the trigger refuses), but can delete a chunk and insert another in its place.
    protected override async Task TamperAsync(string sha256) => await _database.ExecuteAsync($"""
        create temporary table stolen as select * from vb.vb_evidence_chunks where sha256 = '{sha256}' and position = 0;
        delete from vb.vb_evidence_chunks where sha256 = '{sha256}' and position = 0;
        insert into vb.vb_evidence_chunks (sha256, position, data) select sha256, position, overlay(data placing '\xff'::bytea from 1 for 1) from stolen;
        """);

    protected override async Task RemoveAsync(string sha256) => await _database.ExecuteAsync(
        $"delete from vb.vb_evidence_chunks where sha256 = '{sha256}'; delete from vb.vb_evidence_files where sha256 = '{sha256}';");

    [Fact]
    public async Task a_kept_file_cannot_be_updated_in_place()
    {
        var kept = await _store.PutAsync(new MemoryStream(Content(3000)), Cancellation);

        var refused = await Should.ThrowAsync<PostgresException>(() => _database.ExecuteAsync($"update vb.vb_evidence_chunks set data = '\\x00' where sha256 = '{kept.Sha256}'"));
        refused.MessageText.ShouldContain("evidence is written once");
        (await Should.ThrowAsync<PostgresException>(() => _database.ExecuteAsync($"update vb.vb_evidence_files set size = 1 where sha256 = '{kept.Sha256}'")))
            .MessageText.ShouldContain("evidence is written once");

        (await _store.CheckAsync(new EvidenceFile("document", kept.Sha256, 3000, null), Cancellation)).ShouldBeNull();
    }

    [Fact]
    public async Task a_file_is_split_into_chunks_of_one_mebibyte()
    {
        var kept = await _store.PutAsync(new MemoryStream(Content(PostgresEvidenceStore.ChunkSize * 2 + 1)), Cancellation);

        (await _database.ScalarAsync<long>($"select count(*) from vb.vb_evidence_chunks where sha256 = '{kept.Sha256}'")).ShouldBe(3);
        (await _database.ScalarAsync<int>($"select max(length(data)) from vb.vb_evidence_chunks where sha256 = '{kept.Sha256}'")).ShouldBe(PostgresEvidenceStore.ChunkSize);
    }
}
