using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shouldly;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Tests.Foundation;

public sealed class StoreLogTests
{
    private sealed class Collected : ILogger<IDocumentStore>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Fact]
    public void a_lost_race_is_one_debug_line_and_any_other_failure_an_error_with_its_sql()
    {
        var collected = new Collected();
        var log = new StoreLog(collected);
        using var batch = new NpgsqlBatch { BatchCommands = { new NpgsqlBatchCommand("select vb.mt_quick_append_events(...)") } };

        log.LogFailure(batch, new Marten.Exceptions.MartenCommandException(new NpgsqlCommand("select 1"),
            new EventStreamUnexpectedMaxEventIdException(Guid.NewGuid(), null, 8, 9)));
        log.LogFailure(new NpgsqlCommand(), new PostgresException("Stream version mismatch", "ERROR", "ERROR", "MT003")); // before Marten translates it
        log.LogFailure(new NpgsqlCommand(), new PostgresException("duplicate key", "ERROR", "ERROR", "23505", tableName: "mt_events"));
        log.LogFailure(new NpgsqlCommand("insert into vb.mt_doc_casesummary ..."), new InvalidOperationException("disk full"));

        collected.Entries.Select(e => e.Level).ShouldBe([LogLevel.Debug, LogLevel.Debug, LogLevel.Debug, LogLevel.Error]);
        collected.Entries[0].Message.ShouldContain("Lost a race");
        collected.Entries[3].Message.ShouldContain("insert into vb.mt_doc_casesummary");
    }
}
