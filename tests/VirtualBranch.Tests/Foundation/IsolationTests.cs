using Marten;
using Shouldly;
using VirtualBranch.Tests.Support;

namespace VirtualBranch.Tests.Foundation;

/// <summary>Both classes write to the same stream id; each must see only its own events.</summary>
public static class SharedStream
{
    public static readonly Guid Id = Guid.Parse("6f1d2a40-0000-4000-8000-000000000001");

    public sealed record Marker(string Writer, int Index);

    public static async Task<IReadOnlyList<string>> AppendAndRead(IDocumentStore store, string writer)
    {
        for (var i = 0; i < 5; i++)
        {
            await using var session = store.LightweightSession();
            session.Events.Append(Id, new Marker(writer, i));
            await session.SaveChangesAsync();
            await Task.Yield();
        }
        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(Id);
        return events.Select(e => ((Marker)e.Data).Writer).ToList();
    }
}

public sealed class IsolationFirstTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task sees_only_its_own_events()
    {
        var writers = await SharedStream.AppendAndRead(host.Store, "first");
        writers.ShouldBe(Enumerable.Repeat("first", 5));
    }
}

public sealed class IsolationSecondTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task sees_only_its_own_events()
    {
        var writers = await SharedStream.AppendAndRead(host.Store, "second");
        writers.ShouldBe(Enumerable.Repeat("second", 5));
    }
}
