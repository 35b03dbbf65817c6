#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it through ExecutablePath; nothing is downloaded).
set -euo pipefail
[[ -x /usr/bin/chromium ]] && exit 0
[[ $EUID -eq 0 ]] || { echo "[browser] /usr/bin/chromium is missing; install Debian's chromium package" >&2; exit 1; }
echo "[browser] installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
