#!/usr/bin/env bash
# fuzz.sh NAME PKG TIME: runs one fuzz target for TIME (make fuzz).
#
# Go 1.26's fuzz coordinator can fail a clean run with a bare "context
# deadline exceeded" when -fuzztime runs out while a worker is busy, as on a
# loaded CI machine (go.dev/issue/75804, fixed in Go 1.27). Such a run wrote
# no failing input: it counts as passed. Any other failure, or one that wrote
# an input, fails.
set -uo pipefail
name=$1 pkg=$2 time=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${GO:-go}" test -run '^$' -fuzz "^${name}\$" -fuzztime "$time" "$pkg" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] && grep -q '^    context deadline exceeded$' "$out" && ! grep -q 'Failing input written to' "$out"; then
  echo "== $name: ended in Go's fuzz deadline race (go.dev/issue/75804), no failing input: passed"
  exit 0
fi
exit "$status"
