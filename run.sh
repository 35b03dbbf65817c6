#!/usr/bin/env bash
# Starts VirtualBranch: the project's own PostgreSQL (unless ConnectionStrings__Engine is set), then the Host.
#   ./run.sh        start (Ctrl-C stops the Host; the database keeps running for the next start)
#   ./run.sh stop   stop the project's PostgreSQL cluster
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"

if [[ "${1:-}" == stop ]]; then exec scripts/db.sh stop; fi

scripts/db.sh ensure
set -a; . .data/engine.env; set +a

URL="${VB_URL:-http://127.0.0.1:${VB_PORT:-5080}}"
echo "[run] building the Host (Release)"
dotnet build src/Host/VirtualBranch.Host.csproj -c Release -v quiet -nologo -clp:ErrorsOnly

cd src/Host
# The Host creates the demo accounts on first run: random passwords in .data/demo-users.txt, their hashes in .data/accounts.json.
dotnet bin/Release/net10.0/VirtualBranch.Host.dll --urls "$URL" --environment "${ASPNETCORE_ENVIRONMENT:-Production}" --Engine:CreateDemoAccounts=true &
HOST_PID=$!
trap 'kill -INT $HOST_PID 2>/dev/null; wait $HOST_PID 2>/dev/null; echo; echo "[run] Host stopped. PostgreSQL keeps running for the next start; ./run.sh stop stops it."; exit 0' INT TERM

for _ in $(seq 1 180); do
  curl -fsS "$URL/health/ready" >/dev/null 2>&1 && break
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

BANNER
wait $HOST_PID
