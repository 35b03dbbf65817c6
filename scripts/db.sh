#!/usr/bin/env bash
# Makes sure a PostgreSQL server is there for this checkout and prints its connection string.
#
#   scripts/db.sh ensure   create (first time) and start the private cluster; writes .data/engine.env
#   scripts/db.sh stop     stop the private cluster of this checkout
#   scripts/db.sh status   say whether it runs and where
#
# If ConnectionStrings__Engine is set, that server is used and nothing is started.
# Environment: VB_PG_PORT (default 55432), VB_PG_DATA (default .data/postgres or a fallback
# under /var/lib/virtualbranch/ when the checkout is not reachable by the postgres user).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_ROOT="$ROOT/.data"
ENV_FILE="$DATA_ROOT/engine.env"
ROLE=virtualbranch
ADMIN=vb_admin
DATABASE=virtualbranch

say() { printf '[db] %s\n' "$*" >&2; }
die() { printf '[db] error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$DATA_ROOT"
chmod 711 "$DATA_ROOT"  # traversable by the postgres user; secrets inside are 600

if [[ -n "${ConnectionStrings__Engine:-}" ]]; then
  if [[ "${1:-ensure}" == ensure ]]; then
    say "using the server in ConnectionStrings__Engine; starting nothing"
    printf "ConnectionStrings__Engine='%s'\n" "$ConnectionStrings__Engine" > "$ENV_FILE"
  fi
  exit 0
fi

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
  done
  return 1
}

install_postgres() {
  [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed and this user cannot install it; set ConnectionStrings__Engine to a running server"
  say "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # The package starts a system-wide cluster on 5432 that we do not use.
  if command -v pg_ctlcluster >/dev/null; then
    for c in $(pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}'); do pg_ctlcluster ${c%/*} ${c#*/} stop >/dev/null 2>&1 || true; done
  fi
}

BIN="$(find_bin || true)"
if [[ -z "$BIN" ]]; then install_postgres; BIN="$(find_bin)" || die "initdb not found after installing postgresql"; fi

# As root the cluster belongs to the postgres system user; otherwise to the caller.
if [[ $EUID -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

reachable_by_owner() { as_owner test -w "$1" 2>/dev/null; }

# The data directory: .data/postgres when the owner can reach it, else a folder of our own for this checkout.
if [[ -n "${VB_PG_DATA:-}" ]]; then
  PGDATA_DIR="$VB_PG_DATA"
else
  PGDATA_DIR="$DATA_ROOT/postgres"
  if [[ $EUID -eq 0 ]]; then
    mkdir -p "$PGDATA_DIR"
    chown postgres "$PGDATA_DIR"
    if ! reachable_by_owner "$PGDATA_DIR"; then
      key="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
      PGDATA_DIR="/var/lib/virtualbranch/$key/postgres"
      say "the checkout is not reachable by the postgres user; keeping the cluster in $PGDATA_DIR"
    fi
  fi
fi
mkdir -p "$PGDATA_DIR"
[[ $EUID -eq 0 ]] && { mkdir -p "$(dirname "$PGDATA_DIR")"; chown "$OWNER" "$PGDATA_DIR"; chmod 700 "$PGDATA_DIR"; }

secret() { # a generated password, kept in .data/
  local file="$DATA_ROOT/$1"
  [[ -s "$file" ]] || { (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$file"); }
  cat "$file"
}
ADMIN_PW="$(secret postgres-admin-password)"
ROLE_PW="$(secret postgres-password)"
PORT_FILE="$DATA_ROOT/postgres-port"

running() { as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }
accepts() { PGPASSWORD="$2" PGCONNECT_TIMEOUT=3 "$BIN/psql" -h 127.0.0.1 -p "$1" -U "$3" -d postgres -tAc 'select 1' >/dev/null 2>&1; }
port_busy() { "$BIN/pg_isready" -h 127.0.0.1 -p "$1" -t 1 >/dev/null 2>&1 || (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

case "${1:-ensure}" in
  stop)
    if running; then as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null; say "stopped the cluster in $PGDATA_DIR"; else say "the cluster in $PGDATA_DIR is not running"; fi
    exit 0 ;;
  status)
    if running; then say "running: $PGDATA_DIR on 127.0.0.1:$(cat "$PORT_FILE" 2>/dev/null)"; else say "not running ($PGDATA_DIR)"; fi
    exit 0 ;;
  ensure) ;;
  *) die "unknown verb '$1' (use ensure, stop or status)" ;;
esac

if [[ ! -s "$PGDATA_DIR/PG_VERSION" ]]; then
  say "creating a private cluster in $PGDATA_DIR"
  pwfile="$(mktemp)"; printf '%s\n' "$ADMIN_PW" > "$pwfile"; chmod 644 "$pwfile"
  as_owner "$BIN/initdb" -D "$PGDATA_DIR" -U "$ADMIN" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$PGDATA_DIR/postgresql.conf" <<'CONF'
# VirtualBranch: loopback only, sized for a 2-core machine
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
fi

if ! running; then
  # A postmaster.pid left by a crash names a process that is gone (or someone else's): remove it.
  if [[ -f "$PGDATA_DIR/postmaster.pid" ]]; then
    pid="$(head -1 "$PGDATA_DIR/postmaster.pid")"
    if ! kill -0 "$pid" 2>/dev/null || ! grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      say "removing a stale postmaster.pid (process $pid is gone)"
      rm -f "$PGDATA_DIR/postmaster.pid"
    fi
  fi
  PORT="${VB_PG_PORT:-$(cat "$PORT_FILE" 2>/dev/null || echo 55432)}"
  first="$PORT"
  while port_busy "$PORT"; do
    if accepts "$PORT" "$ROLE_PW" "$ROLE"; then
      say "reusing the server on 127.0.0.1:$PORT, which accepts this checkout's role"
      REUSED=1; break
    fi
    say "port $PORT is taken by another server; trying $((PORT + 1))"
    PORT=$((PORT + 1))
    (( PORT < first + 20 )) || die "no free port in $first..$PORT; set VB_PG_PORT"
  done
  if [[ -z "${REUSED:-}" ]]; then
    say "starting the cluster on 127.0.0.1:$PORT"
    as_owner "$BIN/pg_ctl" -D "$PGDATA_DIR" -o "-p $PORT" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start; see $PGDATA_DIR/server.log"
  fi
  echo "$PORT" > "$PORT_FILE"
else
  PORT="$(as_owner sed -n 4p "$PGDATA_DIR/postmaster.pid")"
  echo "$PORT" > "$PORT_FILE"
  say "the cluster in $PGDATA_DIR already runs on 127.0.0.1:$PORT"
fi

for _ in $(seq 1 60); do "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -t 1 >/dev/null 2>&1 && break; sleep 0.5; done
"$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -t 1 >/dev/null 2>&1 || die "PostgreSQL on 127.0.0.1:$PORT does not accept connections"

if [[ -z "${REUSED:-}" ]]; then
  admin_sql() { PGPASSWORD="$ADMIN_PW" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$ADMIN" -d postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
  if [[ "$(admin_sql -c "select 1 from pg_roles where rolname = '$ROLE'")" != 1 ]]; then
    admin_sql -c "create role $ROLE login createdb password '$ROLE_PW'"
  else
    admin_sql -c "alter role $ROLE password '$ROLE_PW'"
  fi
  [[ "$(admin_sql -c "select 1 from pg_database where datname = '$DATABASE'")" == 1 ]] \
    || admin_sql -c "create database $DATABASE owner $ROLE"
fi

CS="Host=127.0.0.1;Port=$PORT;Database=$DATABASE;Username=$ROLE;Password=$ROLE_PW;No Reset On Close=true;Maximum Pool Size=100"
(umask 077; printf "ConnectionStrings__Engine='%s'\n" "$CS" > "$ENV_FILE")
say "PostgreSQL ready on 127.0.0.1:$PORT (data: $PGDATA_DIR)"
