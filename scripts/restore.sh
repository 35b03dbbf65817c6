#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into a fresh database (and fresh evidence folders with the directory store).
#
#   scripts/restore.sh <backup-folder>
#
# The target is what the Host would use: ConnectionStrings__Engine (its database is created when missing, which needs
# CREATEDB; one that already holds VirtualBranch's tables is refused), and with the directory store Evidence__Directory
# and Engine__RecordingsPath (refused unless missing or empty). Nothing is changed when a check fails. Afterwards run
# `verify --all` against the restored database.
set -euo pipefail
TOOL=restore
. "$(dirname "${BASH_SOURCE[0]}")/pg-env.sh"

[[ $# -eq 1 ]] || die "usage: scripts/restore.sh <backup-folder>"
IN="$1"
[[ -f "$IN/database.dump" && -f "$IN/SHA256SUMS" ]] || die "$IN holds no backup (database.dump and SHA256SUMS are missing)"
(cd "$IN" && sha256sum --quiet -c SHA256SUMS) || die "$IN is damaged: a file does not match SHA256SUMS"
TAKEN="$(cat "$IN/store.txt")"
[[ "$TAKEN" == "$STORE" ]] || die "the backup was taken with the $TAKEN evidence store; set Evidence__Store=$TAKEN to restore it"

# Every check before the first change.
sql() { "$BIN/psql" -X -v ON_ERROR_STOP=1 -tAq "$@"; }
exists="$(PGDATABASE=postgres sql -c "select 1 from pg_database where datname = '${PGDATABASE//\'/}'")"
if [[ "$exists" == 1 ]]; then
  [[ "$(sql -c "select count(*) from pg_namespace where nspname = 'vb'")" == 0 ]] \
    || die "database $PGDATABASE already holds VirtualBranch's schema; restore into a fresh database"
fi
if [[ "$STORE" == directory ]]; then
  for dir in "$EVIDENCE_DIR" "$RECORDINGS_DIR"; do
    [[ ! -e "$dir" || -z "$(ls -A "$dir" 2>/dev/null)" ]] || die "$dir is not empty; restore into a fresh folder"
  done
fi

if [[ "$exists" != 1 ]]; then
  say "creating database $PGDATABASE"
  "$BIN/createdb" "$PGDATABASE"
fi
say "restoring the database into $PGDATABASE"
"$BIN/pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE" "$IN/database.dump"
if [[ "$STORE" == directory ]]; then
  for pair in "evidence:$EVIDENCE_DIR" "recordings:$RECORDINGS_DIR"; do
    name="${pair%%:*}"; dir="${pair#*:}"
    mkdir -p "$dir"; chmod 700 "$dir"
    tar -C "$dir" -xpf "$IN/$name.tar"  # keeps the 0700 folders and 0400 files
  done
fi
say "restored; check it with: dotnet run --project src/Host -- verify --all"
