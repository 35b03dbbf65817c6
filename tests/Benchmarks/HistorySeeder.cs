using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using VirtualBranch.Engine.Definitions;
using VirtualBranch.Engine.Integrity;
using VirtualBranch.Engine.Persistence;

namespace VirtualBranch.Benchmarks;

/// <summary>
/// Fills the store with completed loan cases, to measure how cost grows with history. Each case is decided by the
/// engine's own decider and chained and sealed as the engine does, then written with PostgreSQL's COPY — what a
/// busy branch network leaves behind, written faster than it could be lived.
/// </summary>
public sealed class HistorySeeder(IDocumentStore store, NpgsqlDataSource database, PureEngine engine, DefinitionCatalog catalog, LoanDriver driver)
{
    private const int Batch = 1000;

    private readonly Dictionary<Type, string> _dotNetTypes = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventType, t => t.DotNetTypeName);

    /// <summary>Adds <paramref name="count"/> completed cases.</summary>
    public async Task SeedAsync(int count)
    {
        Task<Seeded[]> Build(int size) => Task.Run(() => Enumerable.Range(0, size).AsParallel().WithDegreeOfParallelism(Environment.ProcessorCount)
            .Select(_ => OneCase()).ToArray());
        var next = Build(Math.Min(Batch, count));
        for (var done = 0; done < count;)
        {
            var cases = await next!;
            done += cases.Length;
            next = done < count ? Build(Math.Min(Batch, count - done)) : null;
            await WriteAsync(cases);
        }
    }

    private sealed record Row(ChainLink Link, string CorrelationId, string UserName, DateTimeOffset At);

    private sealed record Seeded(Guid Id, List<Row> Rows, CaseSummary Summary);

    private Seeded OneCase()
    {
        var rows = new List<Row>(80);
        var last = engine.RunCase(driver, 0, step => rows.AddRange(step.Links.Select(l => new Row(l, step.Request.CorrelationId, l.Actor.Id, step.Command.Now))));
        return new Seeded(last.State.Id, rows, CaseSummary.From(last.State, catalog));
    }

    private async Task WriteAsync(Seeded[] cases)
    {
        var events = cases.Sum(c => c.Rows.Count);
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long first;
        await using (var reserve = new NpgsqlCommand("with reserved as (select nextval('vb.mt_events_sequence') as first) select first, setval('vb.mt_events_sequence', first + $1 - 1) from reserved", connection, transaction))
        {
            reserve.Parameters.Add(new NpgsqlParameter { Value = (long)events });
            first = (long)(await reserve.ExecuteScalarAsync())!;
        }
        await using (var streams = await connection.BeginBinaryImportAsync("copy vb.mt_streams (id, version, timestamp, created) from stdin (format binary)"))
        {
            foreach (var seeded in cases)
            {
                await streams.WriteRowAsync(default, seeded.Id, (long)seeded.Rows.Count, seeded.Rows[^1].At, seeded.Rows[0].At);
            }
            await streams.CompleteAsync();
        }
        await using (var rows = await connection.BeginBinaryImportAsync(
            "copy vb.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, correlation_id, headers, user_name) from stdin (format binary)"))
        {
            var sequence = first;
            foreach (var seeded in cases)
            {
                foreach (var row in seeded.Rows)
                {
                    var link = row.Link;
                    var headers = JsonSerializer.Serialize(new Dictionary<string, string>
                    {
                        [HashChain.FormatHeader] = HashChain.CurrentFormat, [HashChain.PreviousHeader] = link.Previous, [HashChain.HashHeader] = link.Hash,
                        [HashChain.RecordedAtHeader] = link.RecordedAt, [HashChain.ActorRoleHeader] = link.Actor.Role, [HashChain.ActorIdHeader] = link.Actor.Id,
                    });
                    await rows.StartRowAsync();
                    await rows.WriteAsync(sequence++, NpgsqlDbType.Bigint);
                    await rows.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                    await rows.WriteAsync(seeded.Id, NpgsqlDbType.Uuid);
                    await rows.WriteAsync(link.Version, NpgsqlDbType.Bigint);
                    await rows.WriteAsync(link.Json, NpgsqlDbType.Jsonb);
                    await rows.WriteAsync(link.EventType, NpgsqlDbType.Varchar);
                    await rows.WriteAsync(row.At, NpgsqlDbType.TimestampTz);
                    await rows.WriteAsync(_dotNetTypes[link.Data.GetType()], NpgsqlDbType.Varchar);
                    await rows.WriteAsync(row.CorrelationId, NpgsqlDbType.Varchar);
                    await rows.WriteAsync(headers, NpgsqlDbType.Jsonb);
                    await rows.WriteAsync(row.UserName, NpgsqlDbType.Varchar);
                }
            }
            await rows.CompleteAsync();
        }
        await transaction.CommitAsync();
        await store.BulkInsertDocumentsAsync(cases.Select(c => (object)c.Summary), Weasel.Core.BulkInsertMode.InsertsOnly);
    }
}
