#!/usr/bin/env bash
# Runs the whole test suite (restore and build included) and ends with one line: `N passed, N failed[, N skipped]`.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
# Tests tagged Category=SharedData read the public datasets in ../shared/data (present on CI and developer
# machines). Without that folder they are left out, with a note; under CI=true they always run.
filter=()
left_out=""
if [ ! -d ../shared/data ] && [ "${CI:-}" != "true" ]; then
  # Counted from the sources (test methods in files tagged SharedData): the summary line says what it did not run.
  # `grep -H` keeps `file:count` when a single file is tagged too (awk reads the count after the colon).
  n=$(grep -rl --include='*.cs' 'Trait("Category", "SharedData")' tests \
    | xargs -r grep -cHE '^\s*\[(Fact|Theory)' | awk -F: '{s+=$2} END {print s+0}')
  left_out=", up to $n SharedData test methods left out (../shared/data missing)"
  echo "note: ../shared/data is not beside the repository: tests that read it (Category=SharedData) are left out" >&2
  filter=(--filter "Category!=SharedData")
fi
if [ -z "${CIEM_TEST_PG:-}" ] && [ "${CI:-}" != "true" ]; then
  echo "note: CIEM_TEST_PG is not set: the PostgreSQL store tests are skipped (start a server with scripts/pg-test-server.sh start)" >&2
fi
dotnet test Ciem.slnx -c Release "${filter[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one summary per test assembly: "Passed!  - Failed:     0, Passed:    22, Skipped:     0, Total: ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE '^(Passed|Failed)!' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "the build or a test host failed before tests could report (exit $status)" >&2
  failed=1
fi
echo "test assemblies: $assemblies"
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped$left_out"; else echo "$passed passed, $failed failed$left_out"; fi
exit "$status"
