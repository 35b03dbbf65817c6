#!/usr/bin/env bash
# Runs every test in the solution in Release against the project's PostgreSQL and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/db.sh ensure || exit 1
set -a; . .data/engine.env; set +a
# the browser tests' Chromium, the relay tests' TURN server, the fonts contracts are rendered with (ContractFonts)
scripts/install-packages.sh chromium fonts-noto-cjk coturn fonts-dejavu-core fonts-droid-fallback fonts-hanazono || exit 1

RESULTS="$PWD/TestResults"
export VB_SCREENSHOTS="$RESULTS/screenshots"
rm -rf "$RESULTS"
dotnet build Engine.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test --solution Engine.sln -c Release --no-build --results-directory "$RESULTS" --report-trx --minimum-expected-tests 1
status=$?

count() { # sums one attribute of the <Counters> element over every TRX file
  find "$RESULTS" -name '*.trx' -print0 2>/dev/null | xargs -0 -r grep -ho "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}
failures() { # names each failed test and the first lines of its message, so the end of the output says what broke
  find "$RESULTS" -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
    /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
      match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); lines = 0; want = 1; print "FAILED " name; next }
    want && /<Message>/ { sub(/.*<Message>/, ""); inmsg = 1 }
    want && inmsg { end = /<\/Message>/; sub(/<\/Message>.*/, ""); gsub(/&gt;/, ">"); gsub(/&lt;/, "<"); gsub(/&quot;/, "\""); gsub(/&apos;/, "'"'"'"); gsub(/&amp;/, "\\&"); print "    " substr($0, 1, 240); if (++lines >= 4 || end) { want = 0; inmsg = 0 } }'
}
failures
passed=$(count passed); failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(( $(count notExecuted) + $(count inconclusive) ))
if (( passed + failed == 0 )); then failed=$((failed + 1)); echo "no test ran"; fi
if (( skipped > 0 )); then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
(( failed == 0 && status == 0 && skipped == 0 ))
