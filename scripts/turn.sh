#!/usr/bin/env bash
# A TURN server for trials: Debian's coturn checking the Host's short-lived credentials with the secret they share
# (TURN REST API: use-auth-secret / static-auth-secret). No TLS: on loopback or a trusted LAN the media is DTLS-encrypted anyway.
#
#   scripts/turn.sh start    install coturn if missing, write its configuration, start it in the background (again if it changed)
#   scripts/turn.sh stop     stop it
#   scripts/turn.sh status   say whether it runs and where
#   scripts/turn.sh urls     the ICE URLs for Media__IceServers (comma-separated)
#   scripts/turn.sh run      run it in the foreground (the relay tests start their own this way, and stop it)
#
# Environment: VB_TURN_LISTEN (127.0.0.1; the machine's LAN address for a phone on the same network), VB_TURN_PORT (3478),
# VB_TURN_RELAY_PORTS (49160-49200), VB_TURN_DIR (.data/turn: configuration, pid, log),
# VB_TURN_SECRET_FILE (turn-secret in the Host's data directory, generated once; the Host reads the same file).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${Engine__DataDirectory:-$ROOT/.data}"
DIR="${VB_TURN_DIR:-$ROOT/.data/turn}"
LISTEN="${VB_TURN_LISTEN:-127.0.0.1}"
PORT="${VB_TURN_PORT:-3478}"
RELAY="${VB_TURN_RELAY_PORTS:-49160-49200}"
SECRET_FILE="${VB_TURN_SECRET_FILE:-$DATA/turn-secret}"
CONF="$DIR/turnserver.conf"
PIDFILE="$DIR/turnserver.pid"
LOG="$DIR/turnserver.log"

say() { printf '[turn] %s\n' "$*" >&2; }
die() { printf '[turn] error: %s\n' "$*" >&2; exit 1; }

running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

stop() {
  if running; then
    local pid; pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    say "stopped the TURN server on $(grep -o '^listening-ip=.*' "$CONF" 2>/dev/null | cut -d= -f2):$(grep -o '^listening-port=.*' "$CONF" 2>/dev/null | cut -d= -f2)"
  fi
  rm -f "$PIDFILE"
}

configure() {
  [[ "$RELAY" =~ ^([0-9]+)-([0-9]+)$ ]] || die "VB_TURN_RELAY_PORTS is '$RELAY'; write it as first-last, e.g. 49160-49200"
  local first="${BASH_REMATCH[1]}" last="${BASH_REMATCH[2]}"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "VB_TURN_PORT is '$PORT'; it must be a port number"
  mkdir -p "$DIR" && chmod 700 "$DIR"
  if [[ ! -s "$SECRET_FILE" ]]; then
    mkdir -p "$(dirname "$SECRET_FILE")"
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRET_FILE")
  fi
  local next="$CONF.next"
  (umask 077; cat > "$next" <<CONF
# Written by scripts/turn.sh; it is rewritten on every start.
listening-ip=$LISTEN
relay-ip=$LISTEN
listening-port=$PORT
min-port=$first
max-port=$last
realm=virtualbranch
use-auth-secret
static-auth-secret=$(cat "$SECRET_FILE")
fingerprint
stale-nonce=600
no-tls
no-dtls
no-cli
no-multicast-peers
no-software-attribute
userdb=$DIR/turndb
log-file=$LOG
simple-log
no-stdout-log
# Each relay opened, with the username it was opened with (the expiry and who the Host issued it to).
verbose
pidfile=$PIDFILE
CONF
  # Relays on loopback reach peers on loopback; coturn refuses them unless told (one machine, tests).
  [[ "$LISTEN" == 127.* || "$LISTEN" == ::1 ]] && echo "allow-loopback-peers" >> "$next")
  if cmp -s "$next" "$CONF"; then rm "$next"; return 1; fi
  mv "$next" "$CONF"
}

listening() { (exec 3<>"/dev/tcp/$LISTEN/$PORT") 2>/dev/null; }

case "${1:-}" in
  start)
    "$ROOT/scripts/install-packages.sh" coturn
    changed=0; configure && changed=1
    if running && (( changed == 0 )); then say "already running on $LISTEN:$PORT"; exit 0; fi
    stop
    listening && die "$LISTEN:$PORT is taken by another program; set VB_TURN_PORT"
    : > "$LOG"
    turnserver -c "$CONF" -o >/dev/null 2>&1 || die "turnserver did not start; see $LOG"
    for _ in $(seq 1 100); do listening && break; sleep 0.1; done
    listening || die "turnserver does not answer on $LISTEN:$PORT; see $LOG"
    say "TURN server on $LISTEN:$PORT (relay ports $RELAY), log in $LOG"
    ;;
  run)
    configure || true
    exec turnserver -c "$CONF"
    ;;
  stop) stop ;;
  status) if running; then say "running on $LISTEN:$PORT (pid $(cat "$PIDFILE"))"; else say "not running"; exit 3; fi ;;
  urls)
    host="$LISTEN"; [[ "$host" == *:* ]] && host="[$host]"  # an IPv6 address in a URL
    echo "stun:$host:$PORT,turn:$host:$PORT?transport=udp,turn:$host:$PORT?transport=tcp"
    ;;
  *) die "usage: scripts/turn.sh start|stop|status|urls|run" ;;
esac
