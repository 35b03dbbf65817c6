#!/usr/bin/env bash
# Starts VirtualBranch: the project's own PostgreSQL (unless ConnectionStrings__Engine is set), then the Host.
#   ./run.sh        start (Ctrl-C stops the Host; the database and TURN server keep running for the next start)
#   ./run.sh stop   stop the project's PostgreSQL cluster and TURN server
# A trial with a phone on the same network (docs/operations.md):
#   VB_HTTPS=1 VB_URL=https://<lan-ip>:5443 VB_TURN=1 VB_TURN_LISTEN=<lan-ip> ./run.sh
#   VB_HTTPS=1  serve https with a self-signed certificate generated into .data/https/ (unless Kestrel__Certificates__Default__Path is set)
#   VB_TURN=1   start a local coturn (scripts/turn.sh) and give the Host its ICE URLs and shared secret
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"

if [[ "${1:-}" == stop ]]; then scripts/turn.sh stop; exec scripts/db.sh stop; fi

scripts/db.sh ensure
set -a; . .data/engine.env; set +a
scripts/install-packages.sh fonts-dejavu-core fonts-droid-fallback fonts-hanazono  # the fonts contracts are rendered with (ContractFonts)

CURL=(curl -fsS)
if [[ "${VB_HTTPS:-0}" == 1 ]]; then
  URL="${VB_URL:-https://127.0.0.1:${VB_PORT:-5443}}"
  [[ "$URL" == https://* ]] || { echo "[run] VB_HTTPS=1 needs an https:// VB_URL, not $URL" >&2; exit 1; }
  if [[ -z "${Kestrel__Certificates__Default__Path:-}" ]]; then
    host="${URL#https://}"; host="${host%%/*}"; host="${host%:*}"; host="${host#[}"; host="${host%]}"
    scripts/https-cert.sh "$host"
    export Kestrel__Certificates__Default__Path="$ROOT/.data/https/cert.pem" Kestrel__Certificates__Default__KeyPath="$ROOT/.data/https/key.pem"
  fi
  CURL+=(-k)  # the readiness probe asks our own Host, whatever names its certificate carries
else
  URL="${VB_URL:-http://127.0.0.1:${VB_PORT:-5080}}"
fi
if [[ "${VB_TURN:-0}" == 1 ]]; then
  scripts/turn.sh start
  # The Host reads the secret from turn-secret in its data directory, the file scripts/turn.sh gave coturn.
  export Media__IceServers="$(scripts/turn.sh urls)"
fi

echo "[run] building the Host (Release)"
dotnet build src/Host/VirtualBranch.Host.csproj -c Release -v quiet -nologo -clp:ErrorsOnly

cd src/Host
# The Host creates the demo accounts on first run: random passwords in .data/demo-users.txt, their hashes in .data/accounts.json.
dotnet bin/Release/net10.0/VirtualBranch.Host.dll --urls "$URL" --environment "${ASPNETCORE_ENVIRONMENT:-Production}" --Engine:CreateDemoAccounts=true &
HOST_PID=$!
trap 'kill -INT $HOST_PID 2>/dev/null; wait $HOST_PID 2>/dev/null; echo; echo "[run] Host stopped. PostgreSQL$([[ "${VB_TURN:-0}" == 1 ]] && echo " and the TURN server") keep running for the next start; ./run.sh stop stops them."; exit 0' INT TERM

for _ in $(seq 1 180); do
  "${CURL[@]}" "$URL/health/ready" >/dev/null 2>&1 && break
  kill -0 $HOST_PID 2>/dev/null || { wait $HOST_PID; exit $?; }
  sleep 1
done

cat <<BANNER

  VirtualBranch is running                     (Ctrl-C stops the Host)
  ─────────────────────────────────────────────────────────────────────
  API              $URL/api
  OpenAPI          $URL/openapi/v1.json
  API reference    $URL/docs
  Jobs dashboard   $URL/hangfire          (supervisor)
  Health           $URL/health   $URL/health/ready
  Teller           $URL/teller/            (teller, supervisor)
  Regulator        $URL/regulator/         (regulator)
  Analyst          $URL/analyst/           (analyst)
  Customer phone   the teller page sends links and codes to the case's mobile; in this demo they land in
                   $ROOT/.data/outbox/messages.jsonl  (tail -f it, open the link, type the code)
  Demo accounts    $ROOT/.data/demo-users.txt  (user role password)
$(sed 's/^/                   /' "$ROOT/.data/demo-users.txt" 2>/dev/null)
  Database         $(grep -o 'Host=[^;]*;Port=[^;]*' "$ROOT/.data/engine.env")
  Video calls      ${Media__IceServers:-no STUN/TURN: candidates on 127.0.0.1 only (VB_TURN=1 starts a TURN server)}
  Camera           $([[ "$URL" == https://* ]] && echo "https: certificate ${Kestrel__Certificates__Default__Path:-as configured}; a browser warns once about a self-signed one" || echo "http: phones open the camera only over https (VB_HTTPS=1, see docs/operations.md)")

BANNER
wait $HOST_PID
