using Npgsql;

namespace VirtualBranch.Host.Integrity.Checkpoints;

/// <summary>
/// The checkpoint tables, created at start-up (idempotently, one Host at a time). Checkpoints and their leaves are
/// append-only: triggers refuse updates, deletes and truncation. An insider who owns the schema can drop a trigger;
/// that is why each checkpoint is also signed, linked to the one before it and time-stamped by an outside authority.
/// The DDL also takes the writer's lock first: a command-line verb starting while a Host writes a checkpoint would
/// otherwise lock the tables in the other order (an index's table, then a trigger's) and deadlock with it.
/// </summary>
public sealed class CheckpointTables(NpgsqlDataSource database) : IHostedService
{
    private static readonly string Ddl = $"""
        select pg_advisory_xact_lock(7162534);
        select pg_advisory_xact_lock({CheckpointWriter.WriterLock});
        create schema if not exists vb;
        create table if not exists vb.vb_checkpoints (
            number bigint primary key,
            created_at timestamptz not null,
            previous_hash text not null,
            tree_size int not null,
            root text not null,
            hash text not null unique,
            signature bytea not null,
            signer text not null,
            timestamp_token bytea,
            kind text not null);
        create table if not exists vb.vb_checkpoint_leaves (
            checkpoint bigint not null references vb.vb_checkpoints (number),
            position int not null,
            case_id uuid not null,
            version bigint not null,
            head text not null,
            proof bytea not null,
            primary key (checkpoint, position));
        create index if not exists vb_checkpoint_leaves_case on vb.vb_checkpoint_leaves (case_id, checkpoint desc);
        create table if not exists vb.vb_checkpoint_heads (
            case_id uuid primary key,
            version bigint not null,
            head text not null,
            checkpoint bigint not null);
        create or replace function vb.vb_append_only() returns trigger language plpgsql as $$
        begin
            raise exception 'checkpoints are append-only: % on % refused', tg_op, tg_table_name using errcode = '42501';
        end $$;
        create or replace trigger vb_checkpoints_append_only before update or delete on vb.vb_checkpoints
            for each row execute function vb.vb_append_only();
        create or replace trigger vb_checkpoints_no_truncate before truncate on vb.vb_checkpoints
            for each statement execute function vb.vb_append_only();
        create or replace trigger vb_checkpoint_leaves_append_only before update or delete on vb.vb_checkpoint_leaves
            for each row execute function vb.vb_append_only();
        create or replace trigger vb_checkpoint_leaves_no_truncate before truncate on vb.vb_checkpoint_leaves
            for each statement execute function vb.vb_append_only();
        """;

    public Task StartAsync(CancellationToken cancellationToken) => EnsureAsync(database, cancellationToken);

    /// <summary>Creates what is missing; the command-line verbs call it too, since they start no hosted service.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Ddl, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
