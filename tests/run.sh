#!/usr/bin/env bash
# Runs every AgriChain test, on a fresh Debian machine too:
#  1. installs from Debian's packages what is missing: PostgreSQL's server binaries (the storage tests start a
#     private server of their own; they never use a system one) and Chromium with CJK fonts (the page tests drive
#     it headless; Playwright never downloads a browser);
#  2. builds and runs the whole solution's tests, keeping the page tests' screenshots in tests/artifacts/screenshots;
#  3. prints one plain summary line "N passed, N failed, N skipped" and fails when a test failed or none ran.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium fonts-noto-cjk)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} (needed by the storage and page tests)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Debian packages needed by the tests are missing: run 'sudo apt-get install -y ${missing[*]}' and try again." >&2
    exit 1
  fi
fi

# The page tests write a PNG of every page they check here (a fresh folder per run).
export AGRICHAIN_ARTIFACTS="$PWD/tests/artifacts/screenshots"
rm -rf "$AGRICHAIN_ARTIFACTS"
mkdir -p "$AGRICHAIN_ARTIFACTS"

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

echo "Screenshots of the pages: $AGRICHAIN_ARTIFACTS ($(find "$AGRICHAIN_ARTIFACTS" -name '*.png' | wc -l) files)"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$total" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
