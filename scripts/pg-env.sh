# Shared by backup.sh and restore.sh (sourced, not run): the Host's settings from the environment or .data/engine.env,
# the PostgreSQL client tools, and libpq variables taken from ConnectionStrings__Engine.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '[%s] %s\n' "$TOOL" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$TOOL" "$*" >&2; exit 1; }

if [[ -z "${ConnectionStrings__Engine:-}" && -f "$ROOT/.data/engine.env" ]]; then
  set -a; . "$ROOT/.data/engine.env"; set +a
fi
[[ -n "${ConnectionStrings__Engine:-}" ]] || die "ConnectionStrings__Engine is not set (nor in .data/engine.env)"

# The same binaries as scripts/db.sh: Debian's PostgreSQL (15 on Debian 12); pg_dump must not be older than the server.
find_bin() {
  local dir
  [[ -n "${VB_PG_BIN:-}" ]] && { echo "$VB_PG_BIN"; return 0; }
  for dir in /usr/lib/postgresql/*/bin; do [[ -x "$dir/pg_dump" ]] && { echo "$dir"; return 0; }; done
  return 1
}
BIN="$(find_bin)" || die "pg_dump not found: install Debian's postgresql-client or set VB_PG_BIN"

# libpq variables from the Npgsql connection string (keys are case-insensitive; the password goes by PGPASSWORD, never argv).
IFS=';' read -ra parts <<< "$ConnectionStrings__Engine"
for part in "${parts[@]}"; do
  key="$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"; value="${part#*=}"
  case "$key" in
    host|server) export PGHOST="$value" ;;
    port) export PGPORT="$value" ;;
    database|db) export PGDATABASE="$value" ;;
    username|userid|user) export PGUSER="$value" ;;
    password) export PGPASSWORD="$value" ;;
  esac
done
[[ -n "${PGDATABASE:-}" ]] || die "ConnectionStrings__Engine names no Database"

# Where the Host keeps evidence (EvidenceOptions): the same keys and defaults.
DATA_DIR="${Engine__DataDirectory:-$ROOT/.data}"
STORE="$(printf '%s' "${Evidence__Store:-directory}" | tr '[:upper:]' '[:lower:]')"
[[ "$STORE" == directory || "$STORE" == postgresql ]] || die "Evidence__Store is '$STORE'; it must be directory or postgresql"
EVIDENCE_DIR="${Evidence__Directory:-$DATA_DIR/evidence}"
RECORDINGS_DIR="${Engine__RecordingsPath:-$DATA_DIR/recordings}"
