#!/usr/bin/env bash
# Runs every test in the solution in Release against the project's PostgreSQL and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/db.sh ensure || exit 1
set -a; . .data/engine.env; set +a
scripts/install-packages.sh chromium fonts-noto-cjk coturn || exit 1  # the browser tests' Chromium, the relay tests' TURN server

RESULTS="$PWD/TestResults"
export VB_SCREENSHOTS="$RESULTS/screenshots"
rm -rf "$RESULTS"
dotnet build Engine.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test --solution Engine.sln -c Release --no-build --results-directory "$RESULTS" --report-trx --minimum-expected-tests 1
status=$?

count() { # sums one attribute of the <Counters> element over every TRX file
  find "$RESULTS" -name '*.trx' -print0 2>/dev/null | xargs -0 -r grep -ho "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}
passed=$(count passed); failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(( $(count notExecuted) + $(count inconclusive) ))
if (( passed + failed == 0 )); then failed=$((failed + 1)); echo "no test ran"; fi
if (( skipped > 0 )); then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
(( failed == 0 && status == 0 && skipped == 0 ))
