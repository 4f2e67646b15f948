#!/usr/bin/env bash
# Runs the headless-Chromium tests of the UI (tests/browser) against the real server: builds
# bin/onemap, installs the test's npm packages from its lockfile and runs node's test runner.
# Needs a PostGIS cluster (scripts/pg.sh; ONEMAP_TEST_DATABASE_URL picks another) and Chromium.
# Screenshots land in tests/browser/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
[ -n "${ONEMAP_TEST_DATABASE_URL:-}" ] || export ONEMAP_TEST_DATABASE_URL="$(scripts/pg.sh | tail -n 1)"
go build -o bin/onemap ./cmd/onemap
cd tests/browser
npm ci --no-audit --no-fund --loglevel=error
exec node --test --test-concurrency=1 --test-timeout=900000 "$@"
