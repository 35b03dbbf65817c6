#!/usr/bin/env bash
# Backs up VirtualBranch: the database (pg_dump) and, with the directory evidence store, the evidence folder and the
# chunks of recordings still being recorded. With the PostgreSQL store both are tables, so the dump holds everything.
#
#   scripts/backup.sh <backup-folder>
#
# Reads the Host's settings from the environment (else .data/engine.env): ConnectionStrings__Engine, Evidence__Store,
# Evidence__Directory, Engine__RecordingsPath, Engine__DataDirectory. <backup-folder> must be new or empty; it gets
# database.dump, evidence.tar and recordings.tar (directory store), store.txt and SHA256SUMS.
# The keys in the data directory (bank-signing.pfx, trust-store.pem, tsa.*, jwt-signing.key, accounts.json) are secrets
# and are NOT in the backup: keep them the way you keep secrets; a restore elsewhere needs them.
set -euo pipefail
TOOL=backup
. "$(dirname "${BASH_SOURCE[0]}")/pg-env.sh"

[[ $# -eq 1 ]] || die "usage: scripts/backup.sh <backup-folder>"
OUT="$1"
[[ ! -e "$OUT" || -z "$(ls -A "$OUT" 2>/dev/null)" ]] || die "$OUT is not empty; give a new folder"
mkdir -p "$OUT"
chmod 700 "$OUT"  # customers' data

# The database first, then the files: a file is kept before the event that vouches for it commits, and files are never
# removed, so every file named in the dump is already in the folder when it is copied.
say "dumping database $PGDATABASE on $PGHOST:${PGPORT:-5432}"
"$BIN/pg_dump" --format=custom --no-owner --no-privileges --file="$OUT/database.dump"
echo "$STORE" > "$OUT/store.txt"
if [[ "$STORE" == directory ]]; then
  for pair in "evidence:$EVIDENCE_DIR" "recordings:$RECORDINGS_DIR"; do
    name="${pair%%:*}"; dir="${pair#*:}"
    if [[ -d "$dir" ]]; then
      say "archiving $dir"
      tar -C "$dir" --exclude='./.incoming-*' --exclude='*.part' -cf "$OUT/$name.tar" .
    else
      tar -cf "$OUT/$name.tar" --files-from=/dev/null  # nothing kept yet: an empty archive says so
    fi
  done
fi
(cd "$OUT" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | sort | xargs sha256sum -- > SHA256SUMS)
say "backup written to $OUT"
