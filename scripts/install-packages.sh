#!/usr/bin/env bash
# Installs the Debian packages given that are not installed yet, with one apt-get update before; nothing when all are there.
#   scripts/install-packages.sh chromium fonts-noto-cjk coturn
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
(( ${#missing[@]} == 0 )) && exit 0
[[ $EUID -eq 0 ]] || { echo "[packages] missing: ${missing[*]}; install them with apt-get (this user cannot)" >&2; exit 1; }
echo "[packages] installing Debian's ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian's coturn may start a system-wide TURN server on 3478 under systemd; the project runs its own (scripts/turn.sh).
if [[ " ${missing[*]} " == *" coturn "* ]] && [[ -d /run/systemd/system ]]; then
  systemctl disable --now coturn >/dev/null 2>&1 || true
fi
