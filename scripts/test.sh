#!/usr/bin/env bash
# Runs every OneMap test against a real PostGIS: Go unit and database tests, GDAL client tests and
# headless-Chromium browser tests. Brings the database up itself (see scripts/pg.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
scripts/deps.sh test
url=$(scripts/pg.sh | tail -n 1)
export ONEMAP_TEST_DATABASE_URL="${ONEMAP_TEST_DATABASE_URL:-$url}"
echo "== gofmt / go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
go vet ./...
echo "== go test"
go build -o bin/onemap ./cmd/onemap
go test -count=1 -p 2 -timeout 30m ./...
echo "== fuzz (bounded): CQL2 parsers"
# Counted, not timed: a timed -fuzztime races its own deadline under load and fails with
# "context deadline exceeded" on Go 1.26 (golang/go#75804, fixed in 1.27). ~15 s and ~8 s here.
go test -run '^$' -fuzz='^FuzzParse$' -fuzztime=100000x ./internal/ogc/cql2
go test -run '^$' -fuzz='^FuzzParseJSON$' -fuzztime=60000x ./internal/ogc/cql2
echo "== fuzz (bounded): request text, filters, drawn areas, near, OGC paging and bbox"
go test -run '^$' -fuzz='^FuzzCheckJSON$' -fuzztime=20000x ./internal/httpx
go test -run '^$' -fuzz='^FuzzParseFilter$' -fuzztime=5000x ./internal/api
go test -run '^$' -fuzz='^FuzzParseArea$' -fuzztime=20000x ./internal/assets
go test -run '^$' -fuzz='^FuzzParseNear$' -fuzztime=20000x ./internal/assets
go test -run '^$' -fuzz='^FuzzParsePaging$' -fuzztime=20000x ./internal/ogc
go test -run '^$' -fuzz='^FuzzParseBBox$' -fuzztime=20000x ./internal/ogc
echo "== browser tests"
# First paint (tests/browser/ui.test.js) measures 2.2-2.4 s for a first visit and 1.3-1.5 s for a
# returning one on a quiet 2-core machine with software GL; CI shares its cores with the database
# and starts cold, so it allows 6 s and 4 s. Developers get the 4 s and 2 s defaults.
# An edit reaches the editor's map within 1 s on a quiet machine (tests/browser/live.test.js; the
# page's own part is held to 1 s always); CI shares its cores, so the whole click-to-map allows 2.5 s.
ONEMAP_LIVE_BUDGET_MS="${ONEMAP_LIVE_BUDGET_MS:-2500}" \
ONEMAP_UI_PAINT_BUDGET_MS="${ONEMAP_UI_PAINT_BUDGET_MS:-6000}" ONEMAP_UI_WARM_BUDGET_MS="${ONEMAP_UI_WARM_BUDGET_MS:-4000}" \
  scripts/browser-test.sh
