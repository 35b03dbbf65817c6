namespace VirtualBranch.Engine.Integrity;

/// <summary>
/// The tables of <see cref="PostgresEvidenceStore"/>: one row per file (its hash, size and chunk size) and its bytes in
/// chunks of <c>bytea</c>. Rows are written once: a trigger refuses updates and truncation. Only a refused upload's file is
/// ever deleted (<see cref="IEvidenceStore.DiscardAsync"/>); an insider who drops the trigger still cannot change a file
/// without <c>verify</c> seeing that it no longer has its hash.
/// </summary>
public static class PostgresEvidenceTables
{
    public const string Ddl = """
        select pg_advisory_xact_lock(7162536);
        create schema if not exists vb;
        create table if not exists vb.vb_evidence_files (
            sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
            size bigint not null check (size >= 0),
            chunk_size int not null check (chunk_size > 0),
            stored_at timestamptz not null default now());
        create table if not exists vb.vb_evidence_chunks (
            sha256 text not null references vb.vb_evidence_files (sha256),
            position int not null check (position >= 0),
            data bytea not null,
            primary key (sha256, position));
        -- Video and images are compressed already: do not spend CPU trying again.
        alter table vb.vb_evidence_chunks alter column data set storage external;
        create or replace function vb.vb_evidence_written_once() returns trigger language plpgsql as $$
        begin
            raise exception 'evidence is written once: % on % refused', tg_op, tg_table_name using errcode = '42501';
        end $$;
        create or replace trigger vb_evidence_files_written_once before update on vb.vb_evidence_files
            for each row execute function vb.vb_evidence_written_once();
        create or replace trigger vb_evidence_chunks_written_once before update on vb.vb_evidence_chunks
            for each row execute function vb.vb_evidence_written_once();
        create or replace trigger vb_evidence_files_no_truncate before truncate on vb.vb_evidence_files
            for each statement execute function vb.vb_evidence_written_once();
        create or replace trigger vb_evidence_chunks_no_truncate before truncate on vb.vb_evidence_chunks
            for each statement execute function vb.vb_evidence_written_once();
        """;
}
