#!/usr/bin/env bash
# Runs every AgriChain test, on a fresh Debian machine too:
#  1. installs PostgreSQL from Debian's packages when its server binaries are missing (the storage tests start a
#     private server of their own; they never use a system one);
#  2. builds and runs the whole solution's tests;
#  3. prints one plain summary line "N passed, N failed, N skipped" and fails when a test failed or none ran.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing PostgreSQL (needed by the storage tests)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL server binaries are missing: run 'sudo apt-get install -y postgresql' and try again." >&2
    exit 1
  fi
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

set +e
dotnet test AgriChain.sln --logger "trx" --results-directory "$results" "$@"
status=$?
set -e

passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(value total)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
