#!/usr/bin/env bash
# A self-signed certificate for a trial on the local network: phones open the camera only on https.
#   scripts/https-cert.sh [host]   writes cert.pem and key.pem into VB_HTTPS_DIR (.data/https) unless they already name the same addresses
# Its names: localhost, 127.0.0.1, every address of this machine, and the host given (the one in VB_URL). It is
# generated again when that list changes (a new LAN address). Browsers warn about it once; see docs/operations.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${VB_HTTPS_DIR:-$ROOT/.data/https}"
"$ROOT/scripts/install-packages.sh" openssl

names=("DNS:localhost" "IP:127.0.0.1")
for address in $(hostname -I 2>/dev/null) ${1:-}; do
  [[ "$address" == fe80:* ]] && continue  # link-local addresses need a zone; no browser URL names them
  if [[ "$address" =~ ^[0-9.]+$ || "$address" == *:* ]]; then names+=("IP:$address"); else names+=("DNS:$address"); fi
done
san="$(printf '%s\n' "${names[@]}" | sort -u | paste -sd, -)"

mkdir -p "$DIR" && chmod 700 "$DIR"
if [[ -s "$DIR/cert.pem" && -s "$DIR/key.pem" && "$(cat "$DIR/names" 2>/dev/null)" == "$san" ]]; then
  exit 0
fi
(umask 077
 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=VirtualBranch trial" \
   -addext "subjectAltName=$san" -addext "basicConstraints=critical,CA:FALSE" \
   -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \
   -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>/dev/null)
echo "$san" > "$DIR/names"
echo "[https] self-signed certificate for $san in $DIR/cert.pem" >&2
