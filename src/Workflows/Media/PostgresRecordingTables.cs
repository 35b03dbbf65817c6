namespace VirtualBranch.Workflows.Media;

/// <summary>
/// The tables of <see cref="PostgresRecordingStaging"/>, created on first use (<see cref="VirtualBranch.Engine.Persistence.TablesOnce"/>). Staging is not evidence: the seal is what the
/// case's events vouch for, and it is written once to the evidence store.
/// </summary>
public static class PostgresRecordingTables
{
    public const string Ddl = """
        select pg_advisory_xact_lock(7162537);
        create schema if not exists vb;
        create table if not exists vb.vb_recordings (
            recording_id uuid primary key,
            case_id uuid not null,
            media_type text not null,
            sealed text,
            started_at timestamptz not null default now());
        create table if not exists vb.vb_recording_segments (
            recording_id uuid not null references vb.vb_recordings (recording_id),
            segment int not null,
            declared_chunks int,
            primary key (recording_id, segment));
        create table if not exists vb.vb_recording_chunks (
            recording_id uuid not null,
            segment int not null,
            index int not null,
            data bytea not null,
            arrived_at timestamptz not null default clock_timestamp(),
            primary key (recording_id, segment, index),
            foreign key (recording_id, segment) references vb.vb_recording_segments (recording_id, segment));
        alter table vb.vb_recording_chunks alter column data set storage external;
        """;

}
