using Npgsql;
using Shouldly;
using VirtualBranch.Host.Cases;

namespace VirtualBranch.Tests.Foundation;

/// <summary>The grouping rules of <see cref="GroupCommit{T}"/>, with a commit that records what it was given.</summary>
public sealed class GroupCommitUnitTests
{
    private sealed class Store
    {
        public List<Guid[]> Transactions { get; } = [];

        public Func<IReadOnlyList<Guid>, Exception?> Refuse { get; set; } = _ => null;

        public Task CommitAsync(IReadOnlyList<Guid> units)
        {
            lock (Transactions)
            {
                Transactions.Add([.. units]);
            }
            return Refuse(units) is { } refused ? Task.FromException(refused) : Task.CompletedTask;
        }
    }

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");

    [Fact]
    public async Task units_share_one_transaction_in_key_order_and_a_repeated_key_goes_alone_after_it()
    {
        var store = new Store();
        await using var group = new GroupCommit<Guid>(store.CommitAsync, u => u);

        var outcomes = await group.WriteTogetherAsync([C, A, C, B]);

        outcomes.ShouldAllBe(o => o.IsCompletedSuccessfully);
        store.Transactions.Select(t => string.Join(",", t.Select(u => u.ToString()[^1]))).ShouldBe(["a,b,c", "c"]);
    }

    [Theory]
    [InlineData("40P01", "deadlock detected")]
    [InlineData("22P05", "unsupported Unicode escape sequence")]
    [InlineData("22003", "value overflows numeric format")]
    public async Task a_refusal_of_one_unit_is_retried_alone_so_only_that_unit_fails(string sqlState, string message)
    {
        var store = new Store();
        var deadlock = new PostgresException(message, "ERROR", "ERROR", sqlState);
        store.Refuse = units => units.Contains(B) ? deadlock : null;
        await using var group = new GroupCommit<Guid>(store.CommitAsync, u => u);

        var outcomes = await group.WriteTogetherAsync([A, B, C]);

        outcomes[0].IsCompletedSuccessfully.ShouldBeTrue();
        (await Should.ThrowAsync<PostgresException>(() => outcomes[1])).ShouldBeSameAs(deadlock);
        outcomes[2].IsCompletedSuccessfully.ShouldBeTrue();
        store.Transactions.Count.ShouldBe(4, "the shared attempt, then one per unit");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("57P01")]
    [InlineData("53300")]
    [InlineData("25P02")]
    public async Task any_other_failure_is_every_units_outcome_and_is_not_retried(string? sqlState)
    {
        var store = new Store();
        NpgsqlException lost = sqlState is null
            ? new NpgsqlException("Exception while reading from stream", new IOException("connection reset"))
            : new PostgresException("the server refused", "FATAL", "FATAL", sqlState);
        store.Refuse = _ => lost;
        await using var group = new GroupCommit<Guid>(store.CommitAsync, u => u);

        var outcomes = await group.WriteTogetherAsync([A, B, C]);

        foreach (var outcome in outcomes)
        {
            (await Should.ThrowAsync<NpgsqlException>(() => outcome)).ShouldBeSameAs(lost);
        }
        store.Transactions.Count.ShouldBe(1, "whether the commit happened is unknown: writing again could write twice");
    }

    [Fact]
    public async Task queued_units_are_all_committed_and_the_writers_stop_when_disposed()
    {
        var store = new Store();
        var group = new GroupCommit<Guid>(store.CommitAsync, u => u);
        var units = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(units.Select(group.WriteAsync));
        await group.DisposeAsync();

        store.Transactions.SelectMany(t => t).Order().ShouldBe(units.Order());
        Should.Throw<ObjectDisposedException>(() => group.WriteAsync(Guid.NewGuid()));
    }
}
