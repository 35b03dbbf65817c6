using System.Text.Json;
using Npgsql;
using VirtualBranch.Host.Persistence;

namespace VirtualBranch.Host.Workbench;

/// <summary>One signalling message for a video room, on its way to a peer connected to another Host.</summary>
public sealed record RoomSignal(Guid Origin, Guid CaseId, string From, string To, string Body);

/// <summary>
/// Carries video-room signalling between the Hosts of one database, so the teller and the customer can be connected to
/// different Hosts. A message goes into an unlogged table and its id out through PostgreSQL <c>NOTIFY</c> (a notification
/// holds at most 8,000 bytes, an SDP offer can be more); every Host listens and hands it to its own peers. Signalling is
/// transient: rows older than five minutes are removed.
/// </summary>
public sealed class RoomRelay(NpgsqlDataSource database, ILogger<RoomRelay> log) : NotificationListener(database, log)
{
    private const string ChannelName = "vb_room_signals";

    private const string Ddl = """
        create schema if not exists vb;
        create unlogged table if not exists vb.vb_room_signals (
            id bigserial primary key, sent_at timestamptz not null default now(), signal jsonb not null);
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private int _sent;

    /// <summary>This Host, so it ignores what it sent itself.</summary>
    public Guid HostId { get; } = Guid.NewGuid();

    /// <summary>Called for each signal another Host sent.</summary>
    public Func<RoomSignal, Task>? Deliver { get; set; }

    public async Task PublishAsync(Guid caseId, string from, string to, string body, CancellationToken cancellation)
    {
        var signal = JsonSerializer.Serialize(new RoomSignal(HostId, caseId, from, to, body), Json);
        if (Interlocked.Increment(ref _sent) % 200 == 0)
        {
            await using var sweep = Database.CreateCommand("delete from vb.vb_room_signals where sent_at < now() - interval '5 minutes'");
            await sweep.ExecuteNonQueryAsync(cancellation);
        }
        await using var command = Database.CreateCommand(
            $"with added as (insert into vb.vb_room_signals (signal) values ($1::jsonb) returning id) select pg_notify('{ChannelName}', id::text) from added");
        command.Parameters.Add(new NpgsqlParameter { Value = signal });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    protected override string Channel => ChannelName;

    protected override async Task PrepareAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var create = new NpgsqlCommand(Ddl, connection);
        await create.ExecuteNonQueryAsync(cancellation);
    }

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellation) =>
        long.TryParse(payload, out var id) ? HandOnAsync(id, cancellation) : Task.CompletedTask;

    private async Task HandOnAsync(long id, CancellationToken cancellation)
    {
        await using var command = Database.CreateCommand("select signal::text from vb.vb_room_signals where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        if (await command.ExecuteScalarAsync(cancellation) is string text && JsonSerializer.Deserialize<RoomSignal>(text, Json) is { } signal
            && signal.Origin != HostId && Deliver is { } deliver)
        {
            await deliver(signal);
        }
    }
}
