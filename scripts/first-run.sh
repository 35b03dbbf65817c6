#!/usr/bin/env bash
# First run only: demo accounts with random passwords (hashed for the Host, plain for the person at the keyboard).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
USERS="$ROOT/.data/demo-users.txt"
[[ -s "$USERS" ]] && exit 0
(umask 077
  for pair in analyst:analyst teller:teller teller2:teller supervisor:supervisor supervisor2:supervisor regulator:regulator; do
    printf '%s %s %s\n' "${pair%%:*}" "${pair#*:}" "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  done > "$USERS")
echo "[run] created demo accounts in .data/demo-users.txt (user role password)"
