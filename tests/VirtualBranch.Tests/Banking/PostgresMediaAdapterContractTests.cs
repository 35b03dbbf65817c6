using Npgsql;
using Shouldly;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Tests.Support;
using VirtualBranch.Workflows.Media;

namespace VirtualBranch.Tests.Banking;

/// <summary>
/// The local adapter with its chunks waiting in PostgreSQL and its seals kept there passes the same contract, and two
/// adapters (two Hosts) over one database share what each received.
/// </summary>
public sealed class PostgresMediaAdapterContractTests : MediaAdapterContract, IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _source = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override IMediaAdapter CreateAdapter() => new LocalMediaAdapter(new PostgresRecordingStaging(_source), new PlainCaseEvidence(new PostgresEvidenceStore(_source)));

    [Fact]
    public Task sealing_leaves_no_chunk_waiting_in_the_database() => Sealing_leaves_no_chunk_waiting(new PostgresRecordingStaging(_source), new PostgresEvidenceStore(_source));

    [Fact]
    public async Task chunks_taken_by_two_hosts_in_turn_seal_whole_on_a_third()
    {
        var (first, second, sealer) = (CreateAdapter(), CreateAdapter(), CreateAdapter());
        var recording = Guid.NewGuid();
        await first.StartRecordingAsync(recording, Guid.NewGuid(), "video/webm", CancellationToken.None);
        byte[][] chunks = [[1, 2], [3], [4, 5, 6], [7]];
        for (var i = 0; i < chunks.Length; i++)
        {
            var host = i % 2 == 0 ? first : second; // each one's count of the recording is behind after the other's chunk
            (await host.AppendChunkAsync(recording, 0, i, chunks[i], Sha(chunks[i]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Accepted, $"chunk {i}");
        }
        (await first.AppendChunkAsync(recording, 0, 3, chunks[3], Sha(chunks[3]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.AlreadyHad);

        var seal = await sealer.SealAsync(recording, CancellationToken.None);

        seal.Segments.ShouldHaveSingleItem().Sha256.ShouldBe(Sha([1, 2, 3, 4, 5, 6, 7]));
        (await second.AppendChunkAsync(recording, 0, 4, chunks[0], Sha(chunks[0]), long.MaxValue, CancellationToken.None)).Status.ShouldBe(ChunkStatus.Sealed);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
