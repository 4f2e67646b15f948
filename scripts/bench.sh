#!/usr/bin/env bash
# make bench: vector-tile throughput on the benchmark city, uncached. Takes the database from
# ONEMAP_BENCH_DATABASE_URL (default: database onemap_bench on the local cluster, which
# `onemap demo --parcels 1000000` fills), makes sure its land overview is current, starts the
# server with the tile cache off, then for land and onemap at zooms 10, 12, 14 and 16 measures
# the largest tile (one pass over the tile list) and wrk -t1 -c8 throughput and latency over
# up to 2000 tiles holding parcels; last, the Go benchmark (go test -bench in tiles/).
# BENCH_DURATION (default 10s) sets each wrk run's length; BENCH_ZOOMS and BENCH_LAYERS narrow it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
scripts/deps.sh bench
url=${ONEMAP_BENCH_DATABASE_URL:-}
if [ -z "$url" ]; then
  base=$(scripts/pg.sh | tail -n 1)
  url=${base/\/onemap\?//onemap_bench?}
fi
if ! psql -Atqc "SELECT 1 FROM assets LIMIT 1" "$url" >/dev/null 2>&1; then
  echo "bench.sh: no benchmark city at $url: set ONEMAP_BENCH_DATABASE_URL, or load one with" >&2
  echo "  onemap demo --parcels 1000000 (database onemap_bench), or psql -f scripts/bench-fixture.sql" >&2
  exit 1
fi
duration=${BENCH_DURATION:-10s}
zooms=${BENCH_ZOOMS:-10 12 14 16}
layers=${BENCH_LAYERS:-land onemap}
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

go build -o bin/onemap ./cmd/onemap
bin/onemap migrate -db "$url" >/dev/null
if [ "$(bin/onemap tiles -db "$url" status)" != current ]; then
  bin/onemap tiles -db "$url" refresh
fi
bin/onemap serve -db "$url" -listen 127.0.0.1:0 -tile-cache-mb 0 -log-format text 2>"$tmp/server.log" &
pid=$!
addr=""
for _ in $(seq 1 100); do
  addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$tmp/server.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$tmp/server.log" >&2; exit 1; }

parcels=$(psql -Atqc "SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL" "$url")
echo "benchmark city: $parcels land parcels; server http://$addr, tile cache off; wrk -t1 -c8 -d$duration"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| layer | zoom | tiles | req/s | p50 ms | p95 ms | p99 ms | avg kB | max kB |"
echo "|---|---|---|---|---|---|---|---|---|"
for z in $zooms; do
  psql -Atq -v z="$z" -f scripts/bench-tiles.sql "$url" >"$tmp/z$z.txt"
  for layer in $layers; do
    paths="$tmp/$layer-$z.txt"
    sed "s|^|/tiles/$layer/|; s|\$|.mvt|" "$tmp/z$z.txt" >"$paths"
    # One pass over every tile: the largest size, and a warm start for wrk.
    sed "s|^\(.*\)\$|url = \"http://$addr\1\"\noutput = /dev/null|" "$paths" >"$tmp/curl.cfg"
    max=$(curl -s -w '%{size_download}\n' -K "$tmp/curl.cfg" | sort -n | tail -n 1)
    res=$(wrk -t1 -c8 -d"$duration" -s scripts/bench-tiles.lua "http://$addr" -- "$paths" | grep '^RESULT')
    val() { echo "$res" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
    awk -v l="$layer" -v z="$z" -v n="$(wc -l <"$paths")" -v rps="$(val rps)" -v p50="$(val p50_ms)" \
      -v p95="$(val p95_ms)" -v p99="$(val p99_ms)" -v avg="$(val avg_bytes)" -v max="$max" \
      'BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n", l, z, n, rps, p50, p95, p99, avg / 1024, max / 1024 }'
    [ "$(val errors)" = 0 ] && [ "$(val non2xx)" = 0 ] || echo "  ($layer z$z: errors $(val errors), non-2xx $(val non2xx))"
  done
done
kill "$pid"
pid=""
echo
echo "Go benchmark (tiles rendered in-process, 8 at a time, uncached):"
ONEMAP_BENCH_DATABASE_URL="$url" go test ./tiles -run '^$' -bench BenchmarkTiles -benchtime 3s | grep -E '^Benchmark|^ok'
